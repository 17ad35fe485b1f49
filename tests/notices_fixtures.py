"""Factory fixtures for the notice board and hall screen tests."""
from datetime import datetime, timedelta

import pytest

from portal import clock
from portal.auth.models import User
from portal.extensions import db
from portal.notices import service
from portal.roles import Role

MONDAY = datetime(2026, 11, 23, 9, 0)


@pytest.fixture
def frozen(app):
    """Pin the hall clock to a Monday morning; return a function to move it."""
    def at(moment=MONDAY):
        clock.freeze(moment)
    at()
    return at


@pytest.fixture
def office_admin(make_user):
    """The center office's admin, who writes most notices."""
    return make_user("admin", Role.ADMIN, department="office", name="周主任")


@pytest.fixture
def make_notice(app, office_admin):
    """Return a function that writes (and by default publishes) a notice as a given author."""
    def make(title="关于调整午间延时服务的通知", author=None, publish=True, **fields):
        with app.app_context():
            user = db.session.get(User, author or office_admin)
            notice = service.create(user, service.Draft(title=title, body=fields.pop("body", "正文"), **fields))
            if publish:
                service.publish(user, notice)
            db.session.commit()
            return notice.id
    return make


def hours(n: float) -> datetime:
    """Return the frozen hall time moved by n hours (aware)."""
    return clock.now() + timedelta(hours=n)
