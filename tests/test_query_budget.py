"""List pages issue a fixed, small number of queries however many windows and people there are."""
import pytest

from portal.auth.models import User
from portal.extensions import db
from portal.org.models import Window
from portal.roles import Role
from tests.querycount import count_queries

BUDGET = 8


def _grow(app, hall, first: int, windows: int):
    with app.app_context():
        for n in range(first, first + windows):
            a = User(hall_id=hall["hall"], name=f"甲{n}", login=f"a{n}", department_id=hall["tax"])
            b = User(hall_id=hall["hall"], name=f"乙{n}", login=f"b{n}", department_id=hall["tax"])
            a.set_roles([Role.STAFF])
            b.set_roles([Role.STAFF])
            db.session.add_all([a, b])
            db.session.flush()
            db.session.add(Window(hall_id=hall["hall"], number=100 + n, name=f"窗口{n}",
                                  department_id=hall["tax"], a_post_id=a.id, b_post_id=b.id,
                                  zone_office_id=hall["office"]))
        db.session.commit()


# The roster PDF is not a hot page (it also writes its export to the audit chain): it only
# has to stay flat as the hall grows.
@pytest.mark.parametrize("path,budget", [("/admin/windows", BUDGET), ("/admin/people", BUDGET),
                                         ("/admin/roster.pdf", 16), ("/sitin/week", BUDGET)])
def test_page_query_count_does_not_grow_with_the_hall(app, client, login_as, hall, path, budget):
    login_as(Role.ADMIN)
    _grow(app, hall, 0, 2)
    client.get(path)  # warm the session
    with count_queries(app) as small:
        assert client.get(path).status_code == 200
    _grow(app, hall, 2, 40)
    with count_queries(app) as large:
        assert client.get(path).status_code == 200
    assert len(large) == len(small), large
    assert len(large) <= budget, large
