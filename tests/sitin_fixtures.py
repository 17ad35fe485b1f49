"""Factory fixtures for the sit-in tests: a frozen hall clock, leaders and bookings."""
from datetime import date, datetime

import pytest

from portal.auth.models import User
from portal.duty.models import DutyDay
from portal.extensions import db
from portal.org.models import Department
from portal.roles import Role
from portal.sitin import booking
from tests.conftest import frozen_clock

# Wednesday of a plain week: next week (from 30 Nov) is due on Friday 27 Nov at 17:00.
WEDNESDAY = datetime(2026, 11, 25, 10, 0)
NEXT_MONDAY = date(2026, 11, 30)
NEXT_TUESDAY = date(2026, 12, 1)


frozen = frozen_clock(WEDNESDAY)  # the hall clock pinned to a Wednesday morning


@pytest.fixture
def leader(make_user):
    """The window leader of the tax department (税务局)."""
    return make_user("lingdao", Role.WINDOW_LEADER, department="tax", name="王局长")


@pytest.fixture
def police_leader(make_user):
    """The window leader of the police department."""
    return make_user("gongan", Role.WINDOW_LEADER, department="police", name="李所长")


@pytest.fixture
def book(app):
    """Return a function that books as a person through the service, in its own app context."""
    def make(user_id, day, half="am", department_id=None):
        with app.app_context():
            user = db.session.get(User, user_id)
            rows = booking.book(user, department_id, day, half)
            return [r.id for r in rows]
    return make


@pytest.fixture
def add_units(app, hall, make_user):
    """Return a function that adds window units, each with its own leader; returns leader ids."""
    def make(count, prefix="单位"):
        with app.app_context():
            depts = [Department(hall_id=hall["hall"], name=f"{prefix}{i:02d}", kind="window_unit")
                     for i in range(count)]
            db.session.add_all(depts)
            db.session.commit()
            ids = [d.id for d in depts]
        leaders = [make_user(f"{prefix}-leader-{i}", Role.WINDOW_LEADER, department=None)
                   for i in range(count)]
        with app.app_context():
            for uid, dept_id in zip(leaders, ids, strict=True):
                db.session.get(User, uid).department_id = dept_id
            db.session.commit()
        return leaders
    return make


@pytest.fixture
def on_duty(app, hall):
    """Return a function that puts a person on the duty roster for a day."""
    def put(user_id, day):
        with app.app_context():
            db.session.add(DutyDay(hall_id=hall["hall"], day=day, leader_id=user_id))
            db.session.commit()
    return put
