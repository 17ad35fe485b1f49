"""Access to complaints (投诉) and the public tracking page."""
from portal.roles import Role

READERS = {r for r in Role if r != Role.AUDITOR}
UNIT = {Role.WINDOW_LEADER, Role.ADMIN}
CENTER = {Role.ADMIN, Role.GENERAL_DUTY, Role.DUTY_LEADER, Role.SUPERVISOR}
IMPORTERS = {Role.ADMIN, Role.GENERAL_DUTY, Role.DUTY_LEADER}
CASE = {"case_id": "complaint"}

ROUTES = {
    "complaints.index": (READERS, {}),
    "complaints.new": (READERS, {}),
    "complaints.create": (READERS, {}),
    "complaints.case": (READERS, CASE),
    "complaints.slip": (READERS, CASE),
    "complaints.letter": (READERS, CASE),
    "complaints.send": (READERS, CASE),
    "complaints.accept": (UNIT, CASE),
    "complaints.give_back": (UNIT, CASE),
    "complaints.pause": (UNIT, CASE),
    "complaints.resume": (UNIT, CASE),
    "complaints.extension": (UNIT, CASE),
    "complaints.decide": ({Role.ADMIN}, CASE),
    "complaints.verify": (UNIT, CASE),
    "complaints.reply": (UNIT, CASE),
    "complaints.callback": (CENTER, CASE),
    "complaints.praise": (CENTER, CASE),
    "complaints.import_page": (IMPORTERS, {}),
    "complaints.import_upload": (IMPORTERS, {}),
    "complaints.preview_page": (IMPORTERS, {"token": "complaint_token"}),
    "complaints.preview_confirm": (IMPORTERS, {"token": "complaint_token"}),
    "complaints.preview_discard": (IMPORTERS, {"token": "complaint_token"}),
    "complaints.import_list": (IMPORTERS, {}),
    "complaints.import_detail": (IMPORTERS, {"batch_id": "complaint_batch"}),
    "complaints.import_reverse": (IMPORTERS, {"batch_id": "complaint_batch"}),
    "complaints.profiles": (IMPORTERS, {}),
    "complaints.profile_save": (IMPORTERS, {}),
    "complaints.figures_page": ({Role.ADMIN, Role.GENERAL_DUTY, Role.SUPERVISOR}, {}),
    "track.track_page": ("public", {}),
}


def seed(ids):
    from portal import clock
    from portal.auth.models import User
    from portal.complaints import service
    from portal.extensions import db
    from portal.imports.models import ImportBatch
    batch = ImportBatch(hall_id=ids["hall"], kind="hotline_order", profile_name="12345 热线工单导出",
                        file_name="a.csv", sha256="0" * 64, counts={}, rows=[], imported_at=clock.now())
    db.session.add(batch)
    case = service.register(db.session.get(User, ids["person"]), channel="box", kind="complaint",
                            text="矩阵测试投诉", department_id=ids["dept"])
    db.session.commit()
    ids["complaint"], ids["complaint_token"], ids["complaint_batch"] = case.id, "no-such-preview", batch.id
