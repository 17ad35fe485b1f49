"""Shared patrol test set-up: windows with A and B posts, and a patroller's round."""
import pytest

from portal.extensions import db
from portal.org.models import Window
from portal.roles import Role


@pytest.fixture
def staffed(app, hall, make_user):
    """Put an A and a B post on windows 1 and 2 and return their ids."""
    ids = {"a1": make_user("a1", Role.STAFF, name="张一"), "b1": make_user("b1", Role.STAFF, name="李一"),
           "a2": make_user("a2", Role.STAFF, department="police", name="王二")}
    with app.app_context():
        w1 = db.session.query(Window).filter_by(number=1).one()
        w2 = db.session.query(Window).filter_by(number=2).one()
        w1.a_post_id, w1.b_post_id, w2.a_post_id = ids["a1"], ids["b1"], ids["a2"]
        db.session.commit()
        ids.update(w1=w1.id, w2=w2.id)
    return ids


def item_id(app, label):
    """Return the id of the current checklist's item with this label."""
    from portal.patrol.models import ChecklistItem, ChecklistTemplate
    with app.app_context():
        return (db.session.query(ChecklistItem).join(ChecklistTemplate)
                .filter(ChecklistItem.label == label).order_by(ChecklistTemplate.version.desc()).first().id)


def assert_flat_queries(app, client, pages, grow, budget):
    """Check each page's query count stays the same after grow() adds data, and within the budget."""
    from tests.querycount import count_queries

    def counts():
        out = {}
        for path in pages:
            client.get(path)  # warm the session
            with count_queries(app) as seen:
                assert client.get(path).status_code == 200
            out[path] = len(seen)
        return out
    before = counts()
    grow()
    after = counts()
    assert after == before, (before, after)
    assert max(after.values()) <= budget, after
