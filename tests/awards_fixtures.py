"""Factories for the red-flag and awards tests: more window units, unit events, a published November."""
from datetime import date

import pytest

from portal.assessment import months
from portal.auth.models import User
from portal.duty.models import DutyDay
from portal.extensions import db
from portal.org.models import Department, Hall
from portal.rulebook import service as rules
from portal.scores import service as scores

NOV5 = date(2026, 11, 5)


@pytest.fixture
def units(app, hall):
    """Add two more window units (社保局, 医保局) to the test hall; return the four units' ids by key."""
    with app.app_context():
        added = {key: Department(hall_id=hall["hall"], name=name, kind="window_unit", sort_order=n)
                 for n, (key, name) in enumerate((("social", "社保局"), ("medical", "医保局")), start=10)}
        db.session.add_all(added.values())
        db.session.commit()
        return {"tax": hall["tax"], "police": hall["police"], **{k: d.id for k, d in added.items()}}


@pytest.fixture
def unit_points(app, units):
    """Return a function that records points for a unit (by key) in November."""
    def add(key, points, rule="测试事由", source="manual"):
        with app.app_context():
            scores.record(None, db.session.get(Department, units[key]), points=points, rule=rule, source=source,
                          day=NOV5)
            db.session.commit()
    return add


@pytest.fixture
def rule(app, staff):
    """Return a function that sets a rulebook value as the admin."""
    def put(key, value):
        with app.app_context():
            assert rules.change(key, str(value), db.session.get(User, staff["admin"])) is None
    return put


@pytest.fixture
def publish(app, hall, staff):
    """Return a function that reviews and publishes November 2026 (its sheets are then frozen)."""
    def run():
        with app.app_context():
            months.review(hall["hall"], 2026, 11, db.session.get(User, staff["supervisor"]))
            db.session.commit()
            months.publish(db.session.get(Hall, hall["hall"]), 2026, 11, db.session.get(User, staff["admin"]))
            db.session.commit()
    return run


@pytest.fixture
def duty_days(app, hall):
    """Return a function that puts duty leaders on November's roster, one day each."""
    def put(*leader_ids):
        with app.app_context():
            for n, uid in enumerate(leader_ids, start=2):
                db.session.add(DutyDay(hall_id=hall["hall"], day=date(2026, 11, n), leader_id=uid))
            db.session.commit()
    return put
