"""Access to the patrol pages (值班巡查)."""
from portal.roles import Role

PATROLLERS = {Role.DUTY_LEADER, Role.GENERAL_DUTY, Role.SUPERVISOR}
READERS = PATROLLERS | {Role.ADMIN}
EDITORS = {Role.ADMIN, Role.SUPERVISOR}
REPORTS = {Role.ADMIN, Role.SUPERVISOR, Role.GENERAL_DUTY, Role.DUTY_LEADER}
ROUND = {"round_id": "patrol_round"}
CARD = {"round_id": "patrol_round", "window_id": "window"}

ROUTES = {
    "patrol.index": (READERS, {}),
    "patrol.status": (READERS, {}),
    "patrol.start": (PATROLLERS, {}),
    "patrol.draw": (PATROLLERS, {}),
    "patrol.round_view": (READERS, ROUND),
    "patrol.card": (READERS, CARD),
    "patrol.check": (PATROLLERS, CARD),
    "patrol.save": (PATROLLERS, CARD),
    "patrol.all_ok": (PATROLLERS, CARD),
    "patrol.finish": (PATROLLERS, ROUND),
    "patrol.summary": (READERS, ROUND),
    "patrol.visit": (READERS, {"visit_id": "patrol_visit"}),
    "patrol.void": (EDITORS, {"visit_id": "patrol_visit"}),
    "patrol.photo": (READERS, {"token": "patrol_token"}),
    "patrol.checklist_edit": (EDITORS, {}),
    "patrol.day_report": (REPORTS, {}),
    "patrol.bulletin": (EDITORS, {}),
    "patrol.visit_bulletin": (EDITORS, {"visit_id": "patrol_visit"}),
    "patrol.bulletin_job": (EDITORS, {}),
    "patrol.post_bulletin": (EDITORS, {}),
    "patrol.post_visit_bulletin": (EDITORS, {"visit_id": "patrol_visit"}),
}


def seed(ids):
    from portal import clock
    from portal.auth.models import User
    from portal.extensions import db
    from portal.org.models import Window
    from portal.patrol import service
    from portal.uploads.models import StoredFile
    user = db.session.get(User, ids["person"])
    patrol = service.start_round(user)
    window = db.session.get(Window, ids["window"])
    item = next(i for i in patrol.template.items if not i.per_person)
    visit = service.record_visit(user, patrol, window, service.Entry("findings", [(item.id, None)]))
    db.session.add(StoredFile(token="patrol-matrix-token", original_name="a.png", mime="image/png", size=1,
                              sha256="0" * 64, path="none.png", owner_type=service.PHOTO_OWNER, owner_id=visit.id,
                              created_at=clock.now()))
    db.session.commit()
    ids.update(patrol_round=patrol.id, patrol_visit=visit.id, patrol_token="patrol-matrix-token")
