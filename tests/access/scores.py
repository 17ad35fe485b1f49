"""Access to the score ledger (考核台账)."""
from portal.roles import Role

VIEWERS = {r for r in Role if r != Role.AUDITOR}
VOIDERS = {Role.ADMIN, Role.SUPERVISOR}

ROUTES = {
    "scores.index": (VIEWERS, {}),
    "scores.person": ({Role.ADMIN, Role.SUPERVISOR, Role.GENERAL_DUTY, Role.WINDOW_LEADER}, {"user_id": "scores_self"}),
    "scores.unit": ({Role.ADMIN, Role.SUPERVISOR, Role.GENERAL_DUTY}, {"department_id": "scores_other_dept"}),
    "scores.event": ({Role.ADMIN, Role.SUPERVISOR, Role.GENERAL_DUTY}, {"event_id": "scores_event"}),
    "scores.void": (VOIDERS, {"event_id": "scores_event"}),
    "scores.evidence_file": ({Role.ADMIN, Role.SUPERVISOR, Role.GENERAL_DUTY},
                             {"event_id": "scores_event", "token": "scores_token"}),
    "scores.manual": (VOIDERS, {}),
}


def seed(ids):
    from datetime import date

    from portal import clock
    from portal.extensions import db
    from portal.org.models import Department
    from portal.scores.models import ScoreEvent
    from portal.uploads.models import StoredFile
    other = Department(hall_id=ids["hall"], name="矩阵其他单位", kind="window_unit")
    db.session.add(other)
    db.session.flush()
    event = ScoreEvent(hall_id=ids["hall"], department_id=other.id, centipoints=-500, rule="窗口空岗",
                       source="manual", day=date(2026, 11, 2), recorded_at=clock.now())
    db.session.add(event)
    db.session.flush()
    event_evidence = f"test_evidence:{event.id}"
    db.session.add(StoredFile(token="scores-matrix-token", original_name="a.png", mime="image/png", size=1,
                              sha256="0" * 64, path="none.png", owner_type="test_evidence", owner_id=event.id,
                              created_at=clock.now()))
    db.session.execute(ScoreEvent.__table__.update().where(ScoreEvent.id == event.id).values(evidence=event_evidence))
    db.session.commit()
    ids.update(scores_event=event.id, scores_other_dept=other.id, scores_token="scores-matrix-token",
               scores_self=ids["person"])
