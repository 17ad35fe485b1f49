"""Access to the service ratings pages (好差评) and the public evaluator."""
from portal.roles import Role

READERS = {r for r in Role if r != Role.AUDITOR}
WORKERS = {Role.ADMIN, Role.SUPERVISOR, Role.WINDOW_LEADER}
CASE_READERS = WORKERS | {Role.GENERAL_DUTY}
ADMIN = {Role.ADMIN}
DEVICE = {"token": "rating_token"}
CASE = {"case_id": "rating_case"}

ROUTES = {
    "evaluator.device": ("public", DEVICE),
    "evaluator.state": ("public", DEVICE),
    "evaluator.rate": ("public", DEVICE),
    "ratings.evaluators": (ADMIN, {}),
    "ratings.add_evaluator": (ADMIN, {}),
    "ratings.revoke_evaluator": (ADMIN, {"device_id": "rating_device"}),
    "ratings.window": (READERS, {}),
    "ratings.invite": (READERS, {}),
    "ratings.case_list": (CASE_READERS, {}),
    "ratings.case": (CASE_READERS, CASE),
    "ratings.step": (WORKERS, {"case_id": "rating_case", "action": "rating_action"}),
}


def seed(ids):
    from portal import clock
    from portal.extensions import db
    from portal.imports.models import ImportBatch
    from portal.org.models import Window
    from portal.ratings import cases
    from portal.ratings.models import Evaluator, Rating
    window = db.session.get(Window, ids["window"])
    device = Evaluator(hall_id=ids["hall"], window_id=window.id, name="矩阵评价器", token="matrix-evaluator-0123456")
    rating = Rating(hall_id=ids["hall"], window_id=window.id, department_id=window.department_id, level=4,
                    rated_at=clock.now(), day=clock.today(), rater_phone="13812345678")
    batch = ImportBatch(hall_id=ids["hall"], kind="rating", profile_name="省好差评系统导出", file_name="a.csv",
                        sha256="0" * 64, counts={}, rows=[], imported_at=clock.now())
    db.session.add_all([device, rating, batch])
    db.session.flush()
    case = cases.open_case(rating)
    from portal.auth.models import User
    from portal.ratings.models import Praise
    recorder = db.session.execute(db.select(User.id).where(User.hall_id == ids["hall"])).scalars().first()
    praise = Praise(hall_id=ids["hall"], department_id=window.department_id, kind="thanks_letter",
                    received_on=clock.today(), source="群众来信", recorded_by_id=recorder, recorded_at=clock.now())
    db.session.add(praise)
    db.session.commit()
    ids.update(rating_token=device.token, rating_device=device.id, rating_case=case.id, rating_action="verify",
               rating_import_token="no-such-preview", rating_batch=batch.id, rating_praise=praise.id,
               rating_praise_file="no-such-file")
ROUTES.update({
    "ratings.index": (CASE_READERS, {}),
    "ratings.figures_pdf": ({Role.ADMIN, Role.SUPERVISOR}, {}),
    "ratings.post_figures": ({Role.ADMIN, Role.SUPERVISOR}, {}),
    "ratings.trend": (CASE_READERS, {}),
    "ratings.tags_page": (ADMIN, {}),
    "ratings.save_tags": (ADMIN, {}),
})
ROUTES.update({
    "ratings.import_page": ({Role.ADMIN, Role.SUPERVISOR}, {}),
    "ratings.import_upload": ({Role.ADMIN, Role.SUPERVISOR}, {}),
    "ratings.preview_page": ({Role.ADMIN, Role.SUPERVISOR}, {"token": "rating_import_token"}),
    "ratings.preview_confirm": ({Role.ADMIN, Role.SUPERVISOR}, {"token": "rating_import_token"}),
    "ratings.preview_discard": ({Role.ADMIN, Role.SUPERVISOR}, {"token": "rating_import_token"}),
    "ratings.import_list": ({Role.ADMIN, Role.SUPERVISOR}, {}),
    "ratings.import_detail": ({Role.ADMIN, Role.SUPERVISOR}, {"batch_id": "rating_batch"}),
    "ratings.import_reverse": ({Role.ADMIN, Role.SUPERVISOR}, {"batch_id": "rating_batch"}),
    "ratings.profiles": ({Role.ADMIN, Role.SUPERVISOR}, {}),
    "ratings.profile_save": ({Role.ADMIN, Role.SUPERVISOR}, {}),
})
ROUTES.update({
    "ratings.praise_list": (CASE_READERS, {}),
    "ratings.record_praise": ({Role.SUPERVISOR}, {}),
    "ratings.praise_one": (CASE_READERS, {"praise_id": "rating_praise"}),
    "ratings.praise_file": (CASE_READERS, {"praise_id": "rating_praise", "token": "rating_praise_file"}),
})
