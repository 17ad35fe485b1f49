"""Access to the case pages (限时办结): cases, the desk panel, reminders, the month, imports, profiles."""
from portal.roles import Role

READERS = {r for r in Role if r != Role.AUDITOR}
CASE_READERS = {Role.ADMIN, Role.SUPERVISOR, Role.GENERAL_DUTY, Role.DUTY_LEADER, Role.WINDOW_LEADER}
IMPORTERS = {Role.ADMIN, Role.SUPERVISOR}
PRINTERS = IMPORTERS | {Role.GENERAL_DUTY}
DESK = {Role.DUTY_LEADER, Role.GENERAL_DUTY, Role.ADMIN}
TOKEN = {"token": "cases_token"}
BATCH = {"batch_id": "cases_batch"}

ROUTES = {
    "cases.index": (CASE_READERS, {}),
    "cases.mine": (READERS, {}),
    "cases.case_page": (READERS, {"number": "cases_number"}),
    "cases.desk_panel": (DESK, {}),
    "cases.remind": (DESK, {"window_id": "window"}),
    "cases.month_page": (CASE_READERS, {}),
    "cases.month_pdf": (PRINTERS, {}),
    "cases.month_xlsx": (PRINTERS, {}),
    "cases.month_publish": (IMPORTERS, {}),
    "cases.import_page": (IMPORTERS, {}),
    "cases.import_upload": (IMPORTERS, {}),
    "cases.preview_page": (IMPORTERS, TOKEN),
    "cases.preview_confirm": (IMPORTERS, TOKEN),
    "cases.preview_discard": (IMPORTERS, TOKEN),
    "cases.import_list": (IMPORTERS, {}),
    "cases.import_detail": (IMPORTERS, BATCH),
    "cases.import_reverse": (IMPORTERS, BATCH),
    "cases.profiles": (IMPORTERS, {}),
    "cases.profile_save": (IMPORTERS, {}),
}


def seed(ids):
    from datetime import datetime

    from portal import clock
    from portal.cases.models import CaseReport
    from portal.extensions import db
    from portal.imports.models import ImportBatch, ImportPreview
    now = clock.now()
    preview = ImportPreview(token="matrix-cases-token", hall_id=ids["hall"], kind="case",
                            profile_name="审批系统办件导出", file_name="a.csv", sha256="0" * 64, counts={}, rows=[],
                            created_at=now)
    batch = ImportBatch(hall_id=ids["hall"], kind="case", profile_name="审批系统办件导出", file_name="a.csv",
                        sha256="0" * 64, counts={}, rows=[], imported_at=now)
    db.session.add_all([preview, batch])
    db.session.flush()
    # An open case of the target's window, taken a month back: overdue, so the desk may remind its window.
    db.session.add(CaseReport(hall_id=ids["hall"], import_id=batch.id, key="MX1#0", number="MX1", promised_days=1,
                              accepted_at=datetime(2026, 11, 2, 9, 0), window_id=ids["window"],
                              clerk_id=ids["person"]))
    db.session.commit()
    ids.update(cases_token=preview.token, cases_batch=batch.id, cases_number="MX1")
