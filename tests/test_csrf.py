"""CSRF is on: a state change without the token, or with a wrong one, is refused and changes nothing."""
import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.org.models import Window
from portal.roles import Role
from tests.conftest import token

FORM = {"number": "30", "name": "无令牌窗口", "department_id": None, "a_post_id": "0", "b_post_id": "0",
        "zone_office_id": "0"}


def _windows(app):
    with app.app_context():
        return db.session.execute(select(func.count(Window.id))).scalar_one()


@pytest.mark.parametrize("csrf", [None, "wrong-token", ""])
def test_post_without_a_valid_token_is_refused_and_saves_nothing(app, client, login_as, hall, csrf):
    login_as(Role.ADMIN)
    data = {**FORM, "department_id": hall["tax"]}
    if csrf is not None:
        data["csrf_token"] = csrf
    response = client.post("/admin/windows/new", data=data)
    assert response.status_code == 400
    assert "页面已过期" in response.get_data(as_text=True)
    assert _windows(app) == 2


def test_htmx_post_with_a_wrong_header_token_is_refused(app, client, login_as, hall):
    login_as(Role.ADMIN)
    response = client.post("/admin/windows/new", headers={"HX-Request": "true", "X-CSRFToken": "forged"},
                           data={**FORM, "department_id": hall["tax"]})
    assert response.status_code == 400
    assert _windows(app) == 2


def test_token_of_another_session_is_refused(app, client, login_as, make_user, hall):
    other = app.test_client()
    make_user("other", Role.ADMIN)
    from tests.conftest import sign_in
    sign_in(other, "other")
    stolen = token(other)
    login_as(Role.ADMIN)
    response = client.post("/admin/windows/new", data={**FORM, "department_id": hall["tax"], "csrf_token": stolen})
    assert response.status_code == 400
    assert _windows(app) == 2


def test_htmx_post_with_the_header_token_is_accepted(app, client, login_as, hall):
    login_as(Role.ADMIN)
    response = client.post("/admin/windows/new", headers={"HX-Request": "true", "X-CSRFToken": token(client)},
                           data={**FORM, "department_id": hall["tax"]})
    assert response.status_code == 200
    assert _windows(app) == 3


def test_logout_needs_the_token_too(client, login_as):
    login_as(Role.STAFF)
    assert client.post("/logout").status_code == 400
    assert client.get("/").status_code == 200  # still signed in
