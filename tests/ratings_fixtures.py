"""Shared ratings test set-up: a clerk at window 1, the unit's leader, an evaluator and helpers to tap it."""
import re
from datetime import datetime

import pytest
from sqlalchemy import select

from portal import clock
from portal.auth.models import User
from portal.extensions import db
from portal.org.models import Window
from portal.ratings.models import RatingCase
from portal.roles import Role
from tests.conftest import frozen_clock, sign_in

TOKEN = "test-evaluator-0001"
# A Tuesday morning, the hall open.
frozen = frozen_clock(datetime(2026, 12, 1, 10, 0))


@pytest.fixture
def people(app, hall, make_user):
    """A clerk at window 1 (tax), the tax unit's leader, a police leader, the center admin, a general duty."""
    ids = {"clerk": make_user("clerk", Role.STAFF, name="张小明"),
           "leader": make_user("leader", Role.WINDOW_LEADER, name="李主任"),
           "other_leader": make_user("other", Role.WINDOW_LEADER, department="police", name="王主任"),
           "admin": make_user("center", Role.ADMIN, department="office", name="赵主任"),
           "general": make_user("general", Role.GENERAL_DUTY, department="office", name="钱总值班")}
    with app.app_context():
        window = db.session.query(Window).filter_by(number=1).one()
        window.a_post_id = ids["clerk"]
        db.session.get(User, ids["clerk"]).window_id = window.id
        db.session.commit()
        ids["window"] = window.id
    return ids


@pytest.fixture
def evaluator_device(app, people):
    """An evaluator paired to window 1; returns its id."""
    from portal.ratings import evaluator
    with app.app_context():
        admin = db.session.get(User, people["admin"])
        found = evaluator.create(admin, people["window"], "1号窗口评价器", token=TOKEN)
        db.session.commit()
        return found.id


def csrf_of(html: str) -> str:
    """Pull the CSRF token out of a page (a hidden field or the body's hx-headers)."""
    m = re.search(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"', html) or \
        re.search(r'"X-CSRFToken": "([^"]+)"', html)
    return m.group(1)


def invite(app, people) -> int:
    """Invite a rating as the clerk (through the service) and return the invitation id."""
    from portal.ratings import visits
    with app.app_context():
        found = visits.invite(db.session.get(User, people["clerk"]))
        db.session.commit()
        return found.id


def tap(client, invitation, level, token=TOKEN, **fields):
    """Open the evaluator and send one tap (a level, and for a bad level its detail with detail=1)."""
    page = client.get(f"/evaluator/{token}")
    data = {"csrf_token": csrf_of(page.get_data(as_text=True)) if page.status_code == 200 else "",
            "invitation": str(invitation), "level": str(level), **fields}
    return client.post(f"/evaluator/{token}/rate", data=data)


def signed_in(app, login):
    """Return a fresh client signed in as this login."""
    client = app.test_client()
    assert sign_in(client, login).status_code == 302
    return client


def now():
    return clock.now()


@pytest.fixture
def bad_case(app, client, frozen, evaluator_device, people):
    """Return a function that rates a visit 不满意 (named or not) and returns its case id."""
    def make(named=True):
        inv = invite(app, people)
        extra = {"name": "刘德华", "phone": "13812345678"} if named else {}
        assert tap(client, inv, 4, detail="1", tag=["服务态度差"], **extra).status_code == 200
        with app.app_context():
            return db.session.execute(select(RatingCase.id).order_by(RatingCase.id.desc())).scalars().first()
    return make


def run_step(app, login, case_id, fn, *args):
    """Do one case step as this login through the service, commit, and return the case's state."""
    with app.app_context():
        user = db.session.execute(select(User).where(User.login == login)).scalar_one()
        case = db.session.get(RatingCase, case_id)
        fn(user, case, *args)
        db.session.commit()
        return case.state


def case_state(app, case_id):
    """Return the case's state, deadline and the actions of its steps."""
    with app.app_context():
        case = db.session.get(RatingCase, case_id)
        return case.state, case.due_at, [s.action for s in case.steps]
