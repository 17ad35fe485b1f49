"""The permission matrix: every route, requested by every role and by an anonymous visitor."""
import pytest

from portal.extensions import db
from portal.org.models import Window
from portal.roles import Role
from tests.access import tables
from tests.conftest import csrf_from, sign_in

SKIP = {"static"}
ANONYMOUS = "anonymous"


def _table():
    merged, seeders = {}, []
    for module in tables():
        merged.update(module.ROUTES)
        if hasattr(module, "seed"):
            seeders.append(module.seed)
    return merged, seeders


def test_every_route_is_in_the_table(app):
    table, _ = _table()
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()} - SKIP
    missing = endpoints - set(table)
    assert not missing, f"routes missing from the permission table: {sorted(missing)}"


def test_every_view_declares_its_access(app):
    undeclared = [e for e, view in app.view_functions.items()
                  if e not in SKIP and getattr(view, "access", None) is None]
    assert not undeclared


@pytest.fixture
def seeded(app, hall, make_user):
    target = make_user("target", Role.STAFF, name="被操作人")
    with app.app_context():
        ids = {"hall": hall["hall"], "dept": hall["tax"], "person": target,
               "window": db.session.query(Window).filter_by(number=1).one().id}
        for seed in _table()[1]:
            seed(ids)
    return ids


@pytest.mark.parametrize("role", [ANONYMOUS] + [r.value for r in Role])
def test_route_answers_match_the_table(app, seeded, make_user, role):
    table, _ = _table()
    client = app.test_client()
    if role != ANONYMOUS:
        make_user(f"matrix-{role}", Role(role))
        assert sign_in(client, f"matrix-{role}").status_code == 302
    csrf = csrf_from(client.get("/login" if role == ANONYMOUS else "/password").get_data(as_text=True))
    rules = sorted((r for r in app.url_map.iter_rules() if r.endpoint not in SKIP),
                   key=lambda r: r.endpoint == "auth.logout")  # sign out last
    wrong = []
    for rule in rules:
        allowed, params = table[rule.endpoint]
        url = _build(app, rule, {k: seeded[v] for k, v in params.items()})
        if "GET" in rule.methods:
            response = client.get(url)
        else:
            response = client.post(url, data={"csrf_token": csrf})
        got = _classify(response)
        # Signing out ends on the login page, for everyone.
        expected = "login" if rule.endpoint == "auth.logout" else _expected(allowed, role)
        if got != expected:
            wrong.append(f"{rule.endpoint} {url}: expected {expected}, got {got} ({response.status_code})")
    assert not wrong, "\n".join(wrong)


def _build(app, rule, values):
    with app.test_request_context():
        from flask import url_for
        return url_for(rule.endpoint, **values)


def _classify(response):
    if response.status_code == 403:
        return "forbidden"
    if response.status_code == 302 and "/login" in response.headers.get("Location", ""):
        return "login"
    if response.status_code >= 500:
        return "error"
    return "ok"


# County roles act in a station as its admin and its inspector do (written out here, not imported).
ACTS_AS = {Role.COUNTY_ADMIN: Role.ADMIN, Role.COUNTY_SUPERVISOR: Role.SUPERVISOR}


def _expected(allowed, role):
    if allowed == "public":
        return "ok"
    if role == ANONYMOUS:
        return "login"
    if allowed == "signed_in" or Role(role) in allowed or ACTS_AS.get(Role(role)) in allowed:
        return "ok"
    return "forbidden"
