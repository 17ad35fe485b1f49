"""Patrollers at the same moment: both findings kept; close-day run twice at once deducts once."""
from datetime import datetime

import pytest

from portal import clock
from portal.auth.models import User
from portal.extensions import db
from portal.org.models import Window
from portal.patrol import service
from portal.patrol.models import PatrolFinding
from portal.roles import Role
from portal.scores.models import ScoreEvent
from tests.patrol_fixtures import staffed  # noqa: F401 - pytest fixtures
from tests.test_sitin_concurrency import _race


@pytest.fixture(autouse=True)
def tuesday():
    clock.freeze(datetime(2026, 11, 24, 9, 30))


def test_two_patrollers_saving_the_same_window_at_once_both_keep_their_findings(app, make_user, staffed):
    patrollers = [make_user(f"p{n}", Role.SUPERVISOR) for n in range(2)]
    with app.app_context():
        rounds = [service.start_round(db.session.get(User, uid)).id for uid in patrollers]
        db.session.commit()

    def save(uid, rid, label):
        def work():
            with app.app_context():
                user = db.session.get(User, uid)
                patrol = service.round_for(user, rid)
                item = next(i for i in patrol.template.items if i.label == label)
                service.record_visit(user, patrol, db.session.get(Window, staffed["w1"]),
                                     service.Entry("findings", [(item.id, staffed["a1"])]))
                db.session.commit()
                return "ok"
        return work
    results = _race([save(patrollers[0], rounds[0], "未按规定着装"), save(patrollers[1], rounds[1], "未佩戴工作证")])
    assert results == ["ok", "ok"]
    with app.app_context():
        assert sorted(f.label for f in db.session.query(PatrolFinding)) == ["未佩戴工作证", "未按规定着装"]
        assert db.session.query(ScoreEvent).filter_by(subject_user_id=staffed["a1"]).count() == 2


def test_close_day_run_twice_at_once_deducts_once(app, hall, make_user):
    uid = make_user("ducha", Role.SUPERVISOR)
    with app.app_context():
        service.draw_times(db.session.get(User, uid), clock.today())
        db.session.commit()

    def close():
        with app.app_context():
            service.close_day(clock.today())
            return "ok"
    assert _race([close, close, close]) == ["ok"] * 3
    with app.app_context():
        events = db.session.query(ScoreEvent).filter_by(source="missed_patrol").all()
        assert len(events) == 2 and {e.subject_user_id for e in events} == {uid}
