"""Factories for the monthly assessment's tests: people of the test hall and their ledger events."""
from datetime import date, datetime

import pytest

from portal.auth.models import User
from portal.extensions import db
from portal.org.models import Department
from portal.roles import Role
from portal.scores import service as scores
from tests.conftest import frozen_clock

NOV = date(2026, 11, 10)
DEC2 = datetime(2026, 12, 2, 10, 0)  # a Wednesday: November is over, December's draft has begun
frozen = frozen_clock(DEC2)


@pytest.fixture
def staff(make_user):
    """Two clerks (税务局, 公安局户政), a window leader of 税务局, a supervisor and an admin."""
    return {"clerk": make_user("clerk", Role.STAFF, name="张三"),
            "clerk2": make_user("clerk2", Role.STAFF, department="police", name="李四"),
            "leader": make_user("leader", Role.WINDOW_LEADER, name="王主任"),
            "supervisor": make_user("supervisor", Role.SUPERVISOR, department="office", name="督查员"),
            "admin": make_user("director", Role.ADMIN, department="office", name="中心主任")}


@pytest.fixture
def ledger(app, hall):
    """Return a function that records an event for a person (by id) or a unit (by hall key); its id."""
    def add(points, person=None, unit=None, rule="测试事由", day=NOV, source="manual", evidence=""):
        with app.app_context():
            user = db.session.get(User, person) if person else None
            dept = db.session.get(Department, hall[unit]) if unit else None
            event = scores.record(user, dept, points=points, rule=rule, source=source, day=day, evidence=evidence)
            db.session.commit()
            return event.id
    return add


@pytest.fixture
def void(app):
    """Return a function that voids a ledger event (申诉成立) and returns the reversal's id."""
    def undo(event_id, reason="申诉成立"):
        with app.app_context():
            from portal.scores.models import ScoreEvent
            row = scores.void(db.session.get(ScoreEvent, event_id), reason, None)
            db.session.commit()
            return row.id
    return undo


@pytest.fixture
def person(app):
    """Return a function that loads a person by id (inside an app context)."""
    return lambda uid: db.session.get(User, uid)
