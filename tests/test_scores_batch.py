"""The ledger in batch: an import's charges in one read of their keys and one multi-row insert, each audited."""
from datetime import date

from sqlalchemy import func, select

from portal.audit.models import AuditEvent
from portal.auth.models import User
from portal.extensions import db
from portal.org.models import Department
from portal.roles import Role
from portal.scores import service
from portal.scores.models import ScoreEvent
from tests.querycount import count_queries

DAY = date(2026, 11, 10)


def _charges(app, hall, clerk_id, n):
    user, unit = db.session.get(User, clerk_id), db.session.get(Department, hall["tax"])
    return [service.Charge(user if i % 2 else None, None if i % 2 else unit, -2, f"办件超期（BJ{i}）", "case", DAY,
                           f"case:{hall['hall']}:BJ{i}") for i in range(n)]


def test_a_batch_of_charges_is_one_insert_and_every_event_is_audited(app, hall, make_user):
    clerk = make_user("clerk", Role.STAFF)
    with app.app_context():
        charges = _charges(app, hall, clerk, 300)
        with count_queries(app) as statements:
            assert service.record_all(charges) == 300
            db.session.commit()
        inserts = [s for s in statements if s.lstrip().upper().startswith("INSERT INTO SCORE_EVENT")]
        assert len(inserts) == 1
        assert db.session.execute(select(func.count(AuditEvent.id)).where(
            AuditEvent.event == "score_event.create")).scalar() == 300
        ids = set(db.session.execute(select(ScoreEvent.id)).scalars())
        audited = set(db.session.execute(select(AuditEvent.object_id).where(
            AuditEvent.event == "score_event.create")).scalars())
        assert audited == {str(i) for i in ids}
        unit_event = db.session.execute(select(ScoreEvent).where(ScoreEvent.dedupe_key.like("%:BJ0"))).scalar_one()
        assert (unit_event.subject_user_id, unit_event.department_id, unit_event.centipoints) == (None, hall["tax"],
                                                                                                 -200)


def test_a_batch_charges_only_what_does_not_stand_and_a_key_twice_once(app, hall, make_user):
    clerk = make_user("clerk", Role.STAFF)
    with app.app_context():
        assert service.record_all(_charges(app, hall, clerk, 3)) == 3
        db.session.commit()
        first = service.keyed([f"case:{hall['hall']}:BJ1"])[f"case:{hall['hall']}:BJ1"]
        service.void_all([first], "更正的办件导出显示按时办结", None, release=True)
        db.session.commit()
        again = _charges(app, hall, clerk, 4)
        assert service.record_all(again + again[3:]) == 2  # BJ1 re-charged, BJ3 new (listed twice), others stand
        db.session.commit()
        rows = db.session.execute(select(ScoreEvent.dedupe_key, ScoreEvent.charge_no).where(
            ScoreEvent.reverses_id.is_(None)).order_by(ScoreEvent.id)).all()
        assert [(k.rsplit(":", 1)[1], n) for k, n in rows] == [("BJ0", 1), ("BJ1", 1), ("BJ2", 1), ("BJ1", 2),
                                                              ("BJ3", 1)]


def test_a_batch_racing_another_run_falls_back_to_one_by_one(app, hall, make_user, monkeypatch):
    clerk = make_user("clerk", Role.STAFF)
    with app.app_context():
        assert service.record_all(_charges(app, hall, clerk, 2)) == 2
        db.session.commit()
        real = service.next_charges
        monkeypatch.setattr(service, "next_charges", lambda keys: {k: 1 for k in keys})  # read before the other run
        assert service.record_all(_charges(app, hall, clerk, 3)) == 1  # BJ0, BJ1 stand: only BJ2 is added
        monkeypatch.setattr(service, "next_charges", real)
        db.session.commit()
        assert db.session.execute(select(func.count(ScoreEvent.id))).scalar() == 3


def test_voiding_in_batch_skips_what_is_already_voided(app, hall, make_user):
    clerk = make_user("clerk", Role.STAFF)
    with app.app_context():
        service.record_all(_charges(app, hall, clerk, 2))
        db.session.commit()
        events = list(service.keyed([f"case:{hall['hall']}:BJ0", f"case:{hall['hall']}:BJ1"]).values())
        service.void(events[0], "申诉成立", None)
        assert len(service.void_all(events, "更正", None, release=True)) == 1
        db.session.commit()
        assert service.voided_ids(e.id for e in events) == {e.id for e in events}


def test_a_batch_of_charges_moves_the_halls_inbox_on_once(app, hall, make_user):
    from portal.inbox import pulse
    clerk = make_user("clerk", Role.STAFF)
    with app.app_context():
        before = pulse.version(hall["hall"])
        assert service.record_all(_charges(app, hall, clerk, 4)) == 4
        db.session.commit()
        assert pulse.version(hall["hall"]) == before + 1  # the ledger's new events change the assessment's items
        assert service.record_all(_charges(app, hall, clerk, 4)) == 0  # all stand: nothing added, nothing moved
        db.session.commit()
        assert pulse.version(hall["hall"]) == before + 1
