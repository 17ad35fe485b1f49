"""The access truth tables again, from a second station: another hall's records are a 404 on every route."""
import pytest

from portal.auth import passwords
from portal.auth.models import User
from portal.extensions import db
from portal.org.models import Hall
from portal.roles import Role
from tests.conftest import PASSWORD, csrf_from, sign_in
from tests.test_permissions import _build, _table, seeded  # noqa: F401  (the fixture is used by name)

# What a county role acts as inside a station (written out here, not imported).
ACTS_AS = {Role.COUNTY_ADMIN: Role.ADMIN, Role.COUNTY_SUPERVISOR: Role.SUPERVISOR}
# The working-day calendar is the install's, one for every hall (national holidays): not a hall's record.
SHARED = {"rulebook.calendar_remove", "rulebook.calendar_import", "rulebook.calendar_entered"}
STATION_ROLES = [r for r in Role if r not in ACTS_AS and r != Role.AUDITOR]


@pytest.fixture
def tree(app, hall):
    """Put the test hall under a county, with a sibling station and an unrelated county beside it."""
    with app.app_context():
        county = Hall(name="测试县政务服务中心", level="county")
        other_county = Hall(name="邻县政务服务中心", level="county")
        db.session.add_all([county, other_county])
        db.session.flush()
        db.session.get(Hall, hall["hall"]).parent_id = county.id
        sibling = Hall(name="西街便民服务站", level="township", parent_id=county.id)
        db.session.add(sibling)
        db.session.commit()
        return {"county": county.id, "other_county": other_county.id, "sibling": sibling.id}


def _person(app, login, hall_id, role):
    with app.app_context():
        user = User(hall_id=hall_id, name=f"用户{login}", login=login)
        user.set_roles([role])
        passwords.set_password(user, PASSWORD, must_change=False)
        db.session.add(user)
        db.session.commit()


def _client(app, login, hall_id, role):
    _person(app, login, hall_id, role)
    client = app.test_client()
    assert sign_in(client, login).status_code == 302
    return client, csrf_from(client.get("/password").get_data(as_text=True))


MISSING = 10 ** 6  # no record has this id


def _record_routes(app, seeded_ids, role, missing=False):
    """Yield (rule, url) of every route the role may open whose URL names a record by its id."""
    table, _ = _table()
    for rule in app.url_map.iter_rules():
        allowed, params = table.get(rule.endpoint, ("public", {}))
        values = {k: seeded_ids[v] for k, v in params.items()}
        if rule.endpoint in SHARED | {"auth.logout"} or not any(isinstance(v, int) for v in values.values()):
            continue
        if allowed in ("public", "signed_in") or role in allowed or ACTS_AS.get(role) in allowed:
            if missing:
                values = {k: MISSING if isinstance(v, int) else v for k, v in values.items()}
            yield rule, _build(app, rule, values)


def _ask(client, csrf, rule, url):
    if "GET" in rule.methods:
        return client.get(url)
    return client.post(url, data={"csrf_token": csrf})


def _as_if_missing(app, client, csrf, seeded_ids, role):
    """Return the routes where another hall's record answers otherwise than a record that does not exist."""
    pairs = zip(_record_routes(app, seeded_ids, role), _record_routes(app, seeded_ids, role, missing=True),
                strict=True)
    wrong = []
    for (rule, url), (_, missing_url) in pairs:
        got, expected = _ask(client, csrf, rule, url), _ask(client, csrf, rule, missing_url)
        if got.status_code != expected.status_code or got.status_code == 200:
            wrong.append(f"{rule.endpoint} {url}: {got.status_code}, missing {expected.status_code}")
    return wrong


@pytest.mark.parametrize("role", [r.value for r in STATION_ROLES + list(ACTS_AS)])
def test_a_station_refuses_another_stations_records_on_every_route(app, seeded, tree, role):
    role = Role(role)
    client, csrf = _client(app, f"sibling-{role.value}", tree["sibling"], role)
    wrong = _as_if_missing(app, client, csrf, seeded, role)
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("role", [r.value for r in ACTS_AS])
def test_another_countys_roles_are_refused_the_stations_records(app, seeded, tree, role):
    role = Role(role)
    client, csrf = _client(app, f"far-{role.value}", tree["other_county"], role)
    wrong = _as_if_missing(app, client, csrf, seeded, role)
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("role", [r.value for r in ACTS_AS])
def test_county_roles_switched_to_a_station_open_its_records_as_its_own_roles_do(app, seeded, tree, role):
    role = Role(role)
    client, csrf = _client(app, f"county-{role.value}", tree["county"], role)
    switched = client.post("/county/hall", data={"csrf_token": csrf, "hall_id": seeded["hall"]})
    assert switched.status_code == 302
    station, _ = _client(app, f"station-{role.value}", seeded["hall"], ACTS_AS[role])
    wrong = []
    for rule, url in _record_routes(app, seeded, role):
        if "GET" not in rule.methods:
            continue
        expected = station.get(url).status_code
        got = client.get(url).status_code
        if got != expected and expected != 403:  # 403: a county page, the station's role may not open it
            wrong.append(f"{rule.endpoint} {url}: station {expected}, county {got}")
    assert not wrong, "\n".join(wrong)


def test_a_county_role_cannot_switch_to_a_hall_outside_its_county(app, hall, tree):
    client, csrf = _client(app, "far-admin", tree["other_county"], Role.COUNTY_ADMIN)
    assert client.post("/county/hall", data={"csrf_token": csrf, "hall_id": hall["hall"]}).status_code == 404
    assert client.post("/county/hall", data={"csrf_token": csrf, "hall_id": tree["other_county"]}).status_code == 302


def test_a_chosen_station_is_checked_again_on_every_request(app, hall, tree):
    client, csrf = _client(app, "moving-admin", tree["county"], Role.COUNTY_ADMIN)
    client.post("/county/hall", data={"csrf_token": csrf, "hall_id": tree["sibling"]})
    assert "西街便民服务站" in client.get("/admin/halls").get_data(as_text=True)
    with app.app_context():  # the station leaves the county: the session's choice no longer counts
        db.session.get(Hall, tree["sibling"]).parent_id = tree["other_county"]
        db.session.commit()
    page = client.get("/admin/halls").get_data(as_text=True)
    assert "西街便民服务站" not in page and "测试县政务服务中心" in page


def test_station_admins_cannot_give_county_roles(app, hall, tree):
    client, csrf = _client(app, "station-admin", hall["hall"], Role.ADMIN)
    page = client.get("/admin/people/new").get_data(as_text=True)
    assert "县级管理员" not in page
    response = client.post("/admin/people/new", data={"csrf_token": csrf, "name": "甲", "login": "jia",
                                                       "roles": [Role.COUNTY_ADMIN.value]})
    assert response.status_code == 422
    with app.app_context():
        assert db.session.query(User).filter_by(login="jia").count() == 0
