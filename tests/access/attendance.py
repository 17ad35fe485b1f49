"""Access to the attendance pages (考勤): punch imports, device ids and import profiles."""
from portal.roles import Role

IMPORTERS = {Role.ADMIN, Role.SUPERVISOR}
READERS = {r for r in Role if r != Role.AUDITOR}
TOKEN = {"token": "attendance_token"}
BATCH = {"batch_id": "attendance_batch"}
LEAVE = {"leave_id": "attendance_leave"}
DESK = {Role.DUTY_LEADER, Role.GENERAL_DUTY, Role.ADMIN}

ROUTES = {
    "attendance.import_page": (IMPORTERS, {}),
    "attendance.import_upload": (IMPORTERS, {}),
    "attendance.preview_page": (IMPORTERS, TOKEN),
    "attendance.preview_confirm": (IMPORTERS, TOKEN),
    "attendance.preview_discard": (IMPORTERS, TOKEN),
    "attendance.import_list": (IMPORTERS, {}),
    "attendance.import_detail": (IMPORTERS, BATCH),
    "attendance.import_reverse": (IMPORTERS, BATCH),
    "attendance.device_users": (IMPORTERS, {}),
    "attendance.device_user_map": (IMPORTERS, {}),
    "attendance.profiles": (IMPORTERS, {}),
    "attendance.profile_save": (IMPORTERS, {}),
    "attendance.month_grid": (IMPORTERS | {Role.WINDOW_LEADER}, {}),
    "attendance.person_month": (IMPORTERS | {Role.WINDOW_LEADER}, {"user_id": "person"}),
    "attendance.my_month": (READERS, {}),
    "attendance.index": (READERS, {}),
    "attendance.devices_page": (IMPORTERS, {}),
    "attendance.device_register": (IMPORTERS, {}),
    "attendance.leave_page": (READERS, {}),
    "attendance.leave_new": (READERS, {}),
    "attendance.leave_emergency": (DESK, {}),
    "attendance.leave_detail": (READERS, LEAVE),
    "attendance.leave_decide": (READERS, LEAVE),
    "attendance.leave_paperwork": (READERS, LEAVE),
    "attendance.leave_return": (READERS, LEAVE),
    "attendance.month_xlsx": (IMPORTERS, {}),
    "attendance.sendback_page": (IMPORTERS, {}),
    "attendance.sendback_decide": ({Role.ADMIN}, {"user_id": "person"}),
    "attendance.director_page": ({Role.ADMIN}, {}),
    "attendance.director_name": ({Role.ADMIN}, {}),
    "attendance.month_publish": (IMPORTERS, {}),
    "attendance.corrections_page": (READERS, {}),
    "attendance.correction_new": (READERS, {}),
    "attendance.correction_decide": (DESK, {"correction_id": "attendance_correction"}),
    "iclock.handshake": ("public", {"SN": "attendance_serial"}),
    "iclock.upload": ("public", {"SN": "attendance_serial"}),
    "iclock.heartbeat": ("public", {"SN": "attendance_serial"}),
}


def seed(ids):
    from datetime import date, datetime

    from portal import clock
    from portal.attendance.leave_models import LeaveRequest, PunchCorrection
    from portal.attendance.models import AttendanceDevice
    from portal.extensions import db
    from portal.imports.models import ImportBatch, ImportPreview
    now = clock.now()
    preview = ImportPreview(token="matrix-import-token", hall_id=ids["hall"], kind="punch",
                            profile_name="通用 CSV/Excel", file_name="a.csv", sha256="0" * 64, counts={}, rows=[],
                            created_at=now)
    batch = ImportBatch(hall_id=ids["hall"], kind="punch", profile_name="通用 CSV/Excel", file_name="a.csv",
                        sha256="0" * 64, counts={}, rows=[], imported_at=now)
    device = AttendanceDevice(hall_id=ids["hall"], serial="MATRIX-SN-1", field_order="pin,datetime",
                              registered_at=now)
    leave = LeaveRequest(hall_id=ids["hall"], user_id=ids["person"], department_id=ids["dept"], kind="personal",
                         reason="matrix", first_day=date(2026, 12, 3), first_half="am", last_day=date(2026, 12, 3),
                         last_half="pm", halves=2, chain="director", created_by_id=ids["person"], created_at=now)
    fix = PunchCorrection(hall_id=ids["hall"], user_id=ids["person"], day=date(2026, 12, 3),
                          punched_at=datetime(2026, 12, 3, 8, 0), reason="matrix", created_at=now)
    db.session.add_all([preview, batch, device, leave, fix])
    db.session.commit()
    ids.update(attendance_token=preview.token, attendance_batch=batch.id, attendance_serial=device.serial,
               attendance_leave=leave.id, attendance_correction=fix.id)
