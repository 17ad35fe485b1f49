"""Shared inbox test helpers: what waits for a person, read through the registry."""
import pytest

from portal import clock
from portal.auth.models import User
from portal.extensions import db
from portal.inbox import registry


def waiting(app, user_id, moment=None):
    """Return (source, title, record_id) of each item waiting for the person (at a moment, or now)."""
    if moment is not None:
        clock.freeze(moment)
    with app.test_request_context():
        user = db.session.get(User, user_id)
        return [(i.source, i.title, str(i.record_id)) for i in registry.collect(user)]


def sources_of(app, user_id, moment=None):
    """Return the sources of the person's items."""
    return [s for s, _t, _r in waiting(app, user_id, moment)]


@pytest.fixture
def ctx(app):
    """Run the test body inside a request context (sources build links with url_for)."""
    with app.test_request_context():
        yield
