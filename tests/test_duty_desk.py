"""The desk (值班台) and its self-refreshing counts."""
from portal.roles import Role
from tests.conftest import sign_in
from tests.duty_fixtures import frozen, leaders, on_duty, staffed  # noqa: F401


def test_desk_names_todays_leader_and_general_duty_leader(client, frozen, leaders, on_duty):
    on_duty()
    sign_in(client, "zhiban")
    html = client.get("/duty/").get_data(as_text=True)
    assert "值班长甲" in html and "总值班长丙" in html
    assert 'id="duty-live"' in html and "<html" in html


def test_live_fragment_answers_304_while_nothing_changed(client, frozen, leaders, on_duty):
    on_duty()
    sign_in(client, "zhiban")
    first = client.get("/duty/live", headers={"HX-Request": "true"})
    assert first.status_code == 200 and "<html" not in first.get_data(as_text=True)
    assert 'id="duty-live"' in first.get_data(as_text=True)
    tag = first.headers["ETag"]
    again = client.get("/duty/live", headers={"HX-Request": "true", "If-None-Match": tag})
    assert again.status_code == 304
