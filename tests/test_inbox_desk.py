"""The duty desk shows its own items: those of whoever holds the desk now, to anyone at the desk."""
from datetime import datetime

from portal import clock
from portal.auth.models import User
from portal.duty import leave
from portal.extensions import db
from portal.roles import Role
from tests.conftest import sign_in
from tests.duty_fixtures import frozen, leaders, on_duty, staffed  # noqa: F401 - pytest fixtures


def _slip_overdue(app, leaders, staffed):
    with app.test_request_context():
        leave.grant(db.session.get(User, leaders["zhiban"]), staffed["a"], 20, "取材料")
        db.session.commit()
    clock.freeze(datetime(2026, 11, 25, 10, 0))


def test_the_desk_page_loads_the_desk_items_panel(app, client, frozen, leaders, on_duty):
    on_duty()
    sign_in(client, "zhiban")
    assert 'id="desk-inbox"' in client.get("/duty/").get_data(as_text=True)


def test_an_overdue_slip_is_on_the_desk_for_its_holder_and_the_admin(app, client, frozen, leaders, on_duty,
                                                                      staffed, make_user):
    on_duty()
    _slip_overdue(app, leaders, staffed)
    make_user("zhuren", Role.ADMIN, department="office")
    for login in ("zhiban", "zhuren"):
        client = app.test_client()
        sign_in(client, login)
        html = client.get("/inbox/desk", headers={"HX-Request": "true"}).get_data(as_text=True)
        assert "<html" not in html and "外出超时未归" in html and "甲岗" in html, login
    # The admin sees it at the desk, but it is the holder's to do, not in the admin's own inbox.
    assert "外出超时未归" not in client.get("/inbox/").get_data(as_text=True)
