"""Exactly once while it stands: a keyed charge taken back by a correction may fall due and be charged again."""
from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.auth.models import User
from portal.extensions import db
from portal.roles import Role
from portal.scores import service
from portal.scores.models import ScoreEvent

DAY = date(2026, 11, 10)
KEY = "case:1:BJ100:overdue-clerk"


@pytest.fixture
def charge(app, make_user):
    """Return a function that charges the clerk under KEY and says whether an event was added."""
    clerk = make_user("clerk", Role.STAFF)

    def run(key=KEY):
        with app.app_context():
            added = service.record(db.session.get(User, clerk), points=-2, rule="办件超期", source="case",
                                   day=DAY, key=key)
            db.session.commit()
            return added is not None
    return run


def _void(app, release, reason="更正的办件导出显示按时办结"):
    with app.app_context():
        event = service.keyed([KEY])[KEY]
        service.void(event, reason, None, release=release)
        db.session.commit()


def _charges(app):
    with app.app_context():
        return db.session.execute(select(ScoreEvent.charge_no, ScoreEvent.centipoints)
                                  .where(ScoreEvent.dedupe_key == KEY).order_by(ScoreEvent.id)).all()


def test_a_charge_taken_back_by_a_correction_is_charged_again_when_due_again(app, charge):
    assert charge() is True
    assert charge() is False  # standing: a re-run adds nothing
    _void(app, release=True)
    assert charge() is True  # due again after the correction: the second charge under the key
    assert charge() is False  # and that one stands exactly once too
    assert _charges(app) == [(1, -200), (2, -200)]
    with app.app_context():
        assert service.keyed([KEY])[KEY].charge_no == 2
        assert [e.charge_no for e in service.live_keyed("case:1:BJ100:")] == [2]


def test_a_charge_voided_on_appeal_is_never_charged_again_by_a_re_run(app, charge):
    charge()
    _void(app, release=False, reason="申诉成立：系统故障")
    assert charge() is False
    assert _charges(app) == [(1, -200)]


def test_the_database_refuses_a_second_event_under_one_key_and_charge(app, hall, charge):
    charge()
    with app.app_context():
        clerk = db.session.execute(select(User).where(User.login == "clerk")).scalar_one()
        db.session.add(ScoreEvent(hall_id=hall["hall"], subject_user_id=clerk.id, centipoints=-200, rule="办件超期",
                                  source="case", day=DAY, recorded_at=service.clock.now(), dedupe_key=KEY))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


def test_two_runs_racing_for_the_same_recharge_add_it_once(app, charge, monkeypatch):
    """Both runs read the key as free (charge 2); the database lets only one of them insert it."""
    charge()
    _void(app, release=True)
    with app.app_context():
        clerk = db.session.execute(select(User).where(User.login == "clerk")).scalar_one()
        db.session.add(ScoreEvent(hall_id=clerk.hall_id, subject_user_id=clerk.id, centipoints=-200, rule="办件超期",
                                  source="case", day=DAY, recorded_at=service.clock.now(), dedupe_key=KEY,
                                  charge_no=2))
        db.session.commit()
    monkeypatch.setattr(service, "next_charges", lambda keys: {k: 2 for k in keys})  # read before that insert
    assert charge() is False
    assert [c for c, _p in _charges(app)] == [1, 2]
