"""Factory fixtures for the duty desk tests: a frozen clock, leaders on the roster."""
from datetime import date, datetime

import pytest

from portal.auth.models import User
from portal.duty import rotation
from portal.duty.models import DutyDay
from portal.extensions import db
from portal.org.models import Window
from portal.roles import Role
from tests.conftest import frozen_clock

# A plain Wednesday, after opening time.
WEDNESDAY = datetime(2026, 11, 25, 9, 30)
TODAY = date(2026, 11, 25)


frozen = frozen_clock(WEDNESDAY)  # the hall clock pinned to a Wednesday morning


@pytest.fixture
def leaders(make_user):
    """Two duty leaders and a general duty leader."""
    return {"zhiban": make_user("zhiban", Role.DUTY_LEADER, department="office", name="值班长甲"),
            "other": make_user("zhiban2", Role.DUTY_LEADER, department="office", name="值班长乙"),
            "general": make_user("zongzhiban", Role.GENERAL_DUTY, department="office", name="总值班长丙")}


@pytest.fixture
def on_duty(app, hall, leaders):
    """Put a person on the roster for a day (default: zhiban today)."""
    def put(user_id=None, day=TODAY):
        with app.app_context():
            db.session.add(DutyDay(hall_id=hall["hall"], day=day, leader_id=user_id or leaders["zhiban"],
                                   general_leader_id=leaders["general"]))
            db.session.commit()
    return put


@pytest.fixture
def staffed(app, hall, make_user):
    """Give window 1 an A post and a B post; return their ids."""
    a = make_user("clerk-a", Role.STAFF, name="甲岗")
    b = make_user("clerk-b", Role.STAFF, name="乙岗")
    with app.app_context():
        w = db.session.query(Window).filter_by(number=1).one()
        w.a_post_id, w.b_post_id = a, b
        for uid in (a, b):
            db.session.get(User, uid).window_id = w.id
        db.session.commit()
        return {"a": a, "b": b, "window": w.id}


def as_user(app, user_id):
    """Return the person, inside the caller's app context."""
    return db.session.get(User, user_id)


__all__ = ["frozen", "leaders", "on_duty", "staffed", "rotation"]
