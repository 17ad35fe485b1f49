"""Factory fixtures for the complaints tests: people of the hall, a case registered at a given moment."""
from datetime import datetime

import pytest

from portal import clock
from portal.auth.models import User
from portal.complaints import service
from portal.complaints.models import Complaint
from portal.extensions import db
from portal.roles import Role
from portal.rulebook.models import CalendarDay

THURSDAY = datetime(2026, 12, 3, 10, 0)  # a plain Thursday morning


@pytest.fixture
def people(make_user):
    """A duty leader, the tax unit's leader, a tax clerk, the center admin and the general duty leader."""
    return {"duty": make_user("zhiban", Role.DUTY_LEADER, department="office", name="值班长甲"),
            "leader": make_user("taxlead", Role.WINDOW_LEADER, department="tax", name="税务主管"),
            "police": make_user("polead", Role.WINDOW_LEADER, department="police", name="户政主管"),
            "clerk": make_user("taxclerk", Role.STAFF, department="tax", name="税务窗口员"),
            "admin": make_user("center", Role.ADMIN, department="office", name="中心主任"),
            "general": make_user("zong", Role.GENERAL_DUTY, department="office", name="总值班长")}


def person(user_id) -> User:
    """Return the person, inside the caller's app context."""
    return db.session.get(User, user_id)


def at(moment: datetime) -> None:
    """Move the hall clock (naive: hall time)."""
    clock.freeze(moment)


def day(d, kind: str, name: str = "") -> None:
    """Add an exceptional calendar day (holiday, workday)."""
    db.session.add(CalendarDay(day=d, kind=kind, name=name or kind, source="admin"))
    db.session.flush()


@pytest.fixture
def new_case(app, hall, people):
    """Return a function that registers a case now, taken by the duty leader (the first-asked owner)."""
    def make(kind="complaint", when=THURSDAY, **fields) -> Complaint:
        at(when)
        fields.setdefault("department_id", hall["tax"])
        return service.register(person(people["duty"]), channel=fields.pop("channel", "in_person"), kind=kind,
                                text=fields.pop("text", "窗口人员态度生硬"), name=fields.pop("name", "李四"),
                                phone=fields.pop("phone", "13812345678"), **fields)
    return make


__all__ = ["people", "new_case"]
