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
    "complaints.import_preview": (IMPORTERS, {"token": "complaint_token"}),
    "complaints.import_confirm": (IMPORTERS, {"token": "complaint_token"}),
    "complaints.figures_page": ({Role.ADMIN, Role.GENERAL_DUTY, Role.SUPERVISOR}, {}),
    "track.track_page": ("public", {}),
}


def seed(ids):
    from portal.auth.models import User
    from portal.complaints import service
    from portal.extensions import db
    case = service.register(db.session.get(User, ids["person"]), channel="box", kind="complaint",
                            text="矩阵测试投诉", department_id=ids["dept"])
    db.session.commit()
    ids["complaint"], ids["complaint_token"] = case.id, "no-such-preview"
