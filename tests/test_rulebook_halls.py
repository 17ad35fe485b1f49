"""Rulebook inheritance: the county's values are every station's defaults; a station sets only open keys."""
import pytest

from portal.auth import passwords
from portal.auth.models import User
from portal.extensions import db
from portal.org.models import Hall
from portal.roles import Role
from portal.rulebook import service as rules
from tests.conftest import PASSWORD, csrf_from, sign_in

KEY = "duty.desk_poll_seconds"
CLOSED = "patrol.per_day"


@pytest.fixture
def county(app, hall):
    """The test hall is the county; one station and a second station under it."""
    with app.app_context():
        east = Hall(name="东街便民服务站", level="township", parent_id=hall["hall"])
        west = Hall(name="西街便民服务站", level="township", parent_id=hall["hall"])
        db.session.add_all([east, west])
        db.session.commit()
        return {"county": hall["hall"], "east": east.id, "west": west.id}


def _signed_in(app, login, hall_id, role):
    with app.app_context():
        user = User(hall_id=hall_id, name=login, login=login)
        user.set_roles([role])
        passwords.set_password(user, PASSWORD, must_change=False)
        db.session.add(user)
        db.session.commit()
    client = app.test_client()
    assert sign_in(client, login).status_code == 302
    return client, csrf_from(client.get("/password").get_data(as_text=True))


def _set(client, csrf, key, value):
    return client.post(f"/admin/rulebook/{key}", data={"csrf_token": csrf, "value": value, "reason": "测试"})


def test_the_countys_value_is_every_stations_default_and_a_station_sets_only_open_keys(app, county):
    assert CLOSED in rules.DEFINITIONS and KEY in rules.DEFINITIONS
    boss, boss_csrf = _signed_in(app, "xian", county["county"], Role.ADMIN)
    east, east_csrf = _signed_in(app, "dong", county["east"], Role.ADMIN)
    default = rules.parse(rules.DEFINITIONS[KEY], rules.DEFINITIONS[KEY].default)
    assert _set(boss, boss_csrf, KEY, str(default + 5)).status_code == 302
    with app.test_request_context("/"):
        assert rules.get(KEY, county["east"]) == default + 5 and rules.source(KEY, county["east"]) == "county"
    assert _set(east, east_csrf, KEY, str(default + 9)).status_code == 422  # not open yet
    assert boss.post(f"/admin/rulebook/{KEY}/open", data={"csrf_token": boss_csrf, "open": "1"}).status_code == 200
    assert _set(east, east_csrf, KEY, str(default + 9)).status_code == 302
    with app.test_request_context("/"):
        assert rules.get(KEY, county["east"]) == default + 9 and rules.source(KEY, county["east"]) == "hall"
        assert rules.get(KEY, county["west"]) == default + 5  # the other station keeps the county's
        assert rules.get(KEY, county["county"]) == default + 5
    page = east.get("/admin/rulebook").get_data(as_text=True)
    assert "本站" in page and "县级" in page and "默认" in page
    boss.post(f"/admin/rulebook/{KEY}/open", data={"csrf_token": boss_csrf, "open": "0"})
    with app.test_request_context("/"):  # closed again: the county's value holds everywhere
        assert rules.get(KEY, county["east"]) == default + 5


def test_a_station_cannot_open_keys_to_itself(app, county):
    east, csrf = _signed_in(app, "dong2", county["east"], Role.ADMIN)
    assert east.post(f"/admin/rulebook/{KEY}/open", data={"csrf_token": csrf, "open": "1"}).status_code == 404
    with app.test_request_context("/"):
        assert not rules.overridable(KEY)


def test_sign_in_and_star_rating_rules_are_never_opened_to_the_stations(app, county):
    from portal import clock
    from portal.rulebook.models import HallRuleSetting, RuleOverridable
    boss, csrf = _signed_in(app, "xian3", county["county"], Role.ADMIN)
    key = "security.idle_minutes"
    refused = boss.post(f"/admin/rulebook/{key}/open", data={"csrf_token": csrf, "open": "1"},
                        headers={"HX-Request": "true"})
    assert refused.status_code == 409 and "由县级统一设置" in refused.get_data(as_text=True)
    assert "允许各站修改" not in boss.get("/admin/rulebook").get_data(as_text=True).split(
        f'id="rule-{key.replace(".", "-")}"')[1].split("</tr>")[0]
    with app.app_context():
        assert db.session.get(RuleOverridable, key) is None
        # A row from before (opened when it was allowed) is not honoured: the county's value holds.
        db.session.add_all([RuleOverridable(key=key, marked_at=clock.now()),
                            HallRuleSetting(hall_id=county["east"], key=key, value="1", changed_at=clock.now())])
        db.session.commit()
    with app.test_request_context("/"):
        assert not rules.overridable(key) and rules.get(key, county["east"]) == rules.get(key, county["county"])


def test_a_station_reads_its_own_values_in_its_requests(app, county):
    boss, boss_csrf = _signed_in(app, "xian3", county["county"], Role.ADMIN)
    east, east_csrf = _signed_in(app, "dong3", county["east"], Role.ADMIN)
    boss.post(f"/admin/rulebook/{KEY}/open", data={"csrf_token": boss_csrf, "open": "1"})
    _set(east, east_csrf, KEY, "97")
    assert ">97 " in east.get("/admin/rulebook").get_data(as_text=True)
    assert ">97 " not in boss.get("/admin/rulebook").get_data(as_text=True)


def test_a_county_admin_switched_to_a_station_sets_that_stations_value(app, county):
    boss, csrf = _signed_in(app, "xianguan-t", county["county"], Role.COUNTY_ADMIN)
    boss.post(f"/admin/rulebook/{KEY}/open", data={"csrf_token": csrf, "open": "1"})
    boss.post("/county/hall", data={"csrf_token": csrf, "hall_id": county["west"]})
    assert _set(boss, csrf, KEY, "88").status_code == 302
    with app.test_request_context("/"):
        assert rules.get(KEY, county["west"]) == 88 and rules.get(KEY, county["east"]) != 88


def test_reading_the_rulebook_is_one_query_whatever_the_number_of_stations(app, county):
    from tests.querycount import count_queries
    with app.test_request_context("/"), count_queries(app) as reads:
        for hall_id in county.values():
            rules.get(KEY, hall_id)
    assert len(reads) == 1


def test_a_village_room_inherits_its_stations_value_before_the_countys(app, county):
    with app.app_context():
        room = Hall(name="东街社区便民服务室", level="village", parent_id=county["east"])
        db.session.add(room)
        db.session.commit()
        room_id = room.id
    boss, boss_csrf = _signed_in(app, "xian5", county["county"], Role.ADMIN)
    east, east_csrf = _signed_in(app, "dong5", county["east"], Role.ADMIN)
    keeper, keeper_csrf = _signed_in(app, "shi5", room_id, Role.ADMIN)
    boss.post(f"/admin/rulebook/{KEY}/open", data={"csrf_token": boss_csrf, "open": "1"})
    assert _set(boss, boss_csrf, KEY, "61").status_code == 302
    assert _set(east, east_csrf, KEY, "62").status_code == 302
    with app.test_request_context("/"):
        assert rules.get(KEY, room_id) == 62 and rules.source(KEY, room_id) == "parent"  # station over county
        assert rules.lineage(room_id) == [room_id, county["east"], county["county"]]
    page = keeper.get("/admin/rulebook").get_data(as_text=True)
    assert "上级：东街便民服务站" in page and ">62 " in page
    assert _set(keeper, keeper_csrf, CLOSED, "3").status_code == 422  # closed keys stay the county's
    assert _set(keeper, keeper_csrf, KEY, "63").status_code == 302  # the room's own, while the key is open
    with app.test_request_context("/"):
        assert (rules.get(KEY, room_id), rules.source(KEY, room_id)) == (63, "hall")
        assert rules.get(KEY, county["east"]) == 62 and rules.get(KEY, county["west"]) == 61
    with app.test_request_context("/"):  # the room's history shows the station's change it inherited
        assert [c.new_value for c in rules.history(room_id, KEY)] == ["63", "62", "61"]
    boss.post(f"/admin/rulebook/{KEY}/open", data={"csrf_token": boss_csrf, "open": "0"})
    with app.test_request_context("/"):
        assert (rules.get(KEY, room_id), rules.source(KEY, room_id)) == (61, "county")
