"""Tablet flows at the desk that should cost few taps: who goes out, who takes over."""
import re
from datetime import date

import pytest

from portal.duty.models import ShortLeave
from portal.extensions import db
from tests.conftest import sign_in, token
from tests.duty_fixtures import frozen, leaders, on_duty, staffed  # noqa: F401 - pytest fixtures

HX = {"HX-Request": "true"}


@pytest.fixture
def desk(client, frozen, leaders, on_duty):
    on_duty()
    sign_in(client, "zhiban")
    return token(client, "/duty/")


def test_short_leave_person_is_picked_by_window_then_its_a_or_b_post(app, client, desk, staffed):
    first = client.get("/duty/leave", headers=HX).get_data(as_text=True)
    assert 'id="leave-windows"' in first and "<select" not in first and "甲岗" not in first
    posts = client.get(f"/duty/leave?window={staffed['window']}", headers=HX).get_data(as_text=True)
    assert "A岗：甲岗" in posts and "B岗：乙岗" in posts
    form = client.get(f"/duty/leave?person={staffed['b']}", headers=HX).get_data(as_text=True)
    person = re.search(r'id="leave-person">(.*?)</p>', form, re.S).group(1)
    assert "乙岗" in person and "1 号窗口 B岗" in person and "税务局" in person
    assert re.search(rf'name="user_id"[^>]*value="{staffed["b"]}"', form)
    r = client.post("/duty/leave/new", headers=HX, data={"csrf_token": desk, "user_id": staffed["b"],
                                                          "minutes": "20", "reason": "取快递"})
    assert r.status_code == 200 and "已批准乙岗外出" in r.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(ShortLeave).one().covered_by_id == staffed["a"]


def test_short_leave_search_shows_window_number_and_department(client, desk, staffed):
    found = client.get("/duty/leave?q=甲", headers=HX).get_data(as_text=True)
    hits = re.search(r'id="leave-found">(.*?)</ul>', found, re.S).group(1)
    assert "甲岗" in hits and "1 号窗口 A岗" in hits and "税务局" in hits and "乙岗" not in hits
    by_number = client.get("/duty/leave?q=1", headers=HX).get_data(as_text=True)
    assert "甲岗" in by_number and "乙岗" in by_number


def test_tapping_a_window_on_the_desk_grid_opens_its_leave_picker(client, desk, staffed):
    html = client.get("/duty/").get_data(as_text=True)
    assert f'href="/duty/leave?window={staffed["window"]}"' in html


def test_handover_incoming_leader_defaults_to_the_next_on_the_roster(client, desk, leaders, on_duty):
    on_duty(leaders["other"], date(2026, 11, 26))
    html = client.get("/duty/handover", headers=HX).get_data(as_text=True)
    assert re.search(rf'<option selected value="{leaders["other"]}">|<option value="{leaders["other"]}" selected',
                     html), html


def test_after_confirming_the_incoming_leader_no_longer_sees_generate_handover(app, client, desk, leaders):
    client.post("/duty/handover/new", headers=HX,
                data={"csrf_token": desk, "to_user_id": leaders["other"], "summary": "今日平稳"})
    client.post("/logout", data={"csrf_token": desk})
    sign_in(client, "zhiban2")
    before = client.get("/duty/handover", headers=HX).get_data(as_text=True)
    assert "确认接班" in before and "生成交接单" not in before
    with app.app_context():
        from portal.duty.models import DutyHandover
        hid = db.session.query(DutyHandover).one().id
    ok = client.post(f"/duty/handover/{hid}/confirm", headers=HX, data={"csrf_token": token(client, "/duty/")})
    assert ok.status_code == 200 and 'id="handover-taken"' in ok.get_data(as_text=True)
    assert "生成交接单" not in ok.get_data(as_text=True)
    assert "生成交接单" not in client.get("/duty/handover").get_data(as_text=True)


def test_a_handover_waiting_for_confirmation_hides_the_form_and_a_second_one_is_refused(app, client, desk, leaders):
    data = {"csrf_token": desk, "to_user_id": leaders["other"], "summary": "今日平稳"}
    first = client.post("/duty/handover/new", headers=HX, data=data)
    assert first.status_code == 200
    page = first.get_data(as_text=True)
    assert 'id="handover-sent"' in page and "生成交接单" not in page
    again = client.post("/duty/handover/new", headers=HX, data=data)  # another tap, another key
    assert again.status_code == 409 and "等待" in again.get_data(as_text=True)
    with app.app_context():
        from portal.duty.models import DutyHandover
        assert db.session.query(DutyHandover).count() == 1
