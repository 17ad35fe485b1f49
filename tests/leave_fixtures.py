"""Factory fixtures for the leave tests: a hall's approvers and a clerk, and a short way to ask for leave."""
from datetime import date

import pytest

from portal.attendance import leave
from portal.auth.models import User
from portal.extensions import db
from portal.roles import Role


@pytest.fixture
def people(app, make_user):
    """A clerk and a colleague of the tax unit, its window leader, the general duty leader and the admin."""
    return {"clerk": make_user("clerk", Role.STAFF, name="王五"),
            "mate": make_user("mate", Role.STAFF, name="赵六"),
            "unit": make_user("unitlead", Role.WINDOW_LEADER, name="钱科长"),
            "general": make_user("general", Role.GENERAL_DUTY, name="孙总值班长", department="office"),
            "admin": make_user("director", Role.ADMIN, name="周主任", department="office")}


@pytest.fixture
def person(app):
    """Return a function that loads a person by id."""
    return lambda uid: db.session.get(User, uid)


@pytest.fixture
def ask(app, person, people):
    """Return a function that has the clerk ask for leave from one day's half to another's."""
    def make(first: date, last: date, first_half="am", last_half="pm", kind="personal", who="clerk"):
        clerk = person(people[who])
        row = leave.ask(clerk, clerk, kind, "家中有事", first, first_half, last, last_half)
        db.session.commit()
        return row
    return make


__all__ = ["people", "person", "ask"]
