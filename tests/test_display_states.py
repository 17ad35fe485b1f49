"""The hall screen on days it must not look like an ordinary day: revoked, and the hall closed."""
from datetime import date, datetime

import pytest

from portal.auth.models import User
from portal.display import service as screens
from portal.extensions import db
from portal.rulebook.models import CalendarDay
from tests.notices_fixtures import frozen, make_notice, office_admin  # noqa: F401 - pytest fixtures

TOKEN = "test-screen-token-closed-days"


@pytest.fixture
def screen(app, office_admin):
    with app.app_context():
        row = screens.create_screen(db.session.get(User, office_admin), "大厅入口屏", token=TOKEN)
        db.session.commit()
        return row.id


def _closed(app, day, name, kind="holiday"):
    with app.app_context():
        db.session.add(CalendarDay(day=day, kind=kind, name=name))
        db.session.commit()


def test_revoked_screen_shows_a_neutral_stopped_page_without_portal_links(app, client, frozen, screen,
                                                                          office_admin):
    with app.app_context():
        screens.revoke(db.session.get(User, office_admin), screen)
        db.session.commit()
    for url in (f"/display/{TOKEN}", "/display/never-issued-token-000000"):
        page = client.get(url)
        html = page.get_data(as_text=True)
        assert page.status_code == 404 and "屏幕已停用" in html
        assert "<a " not in html and "登录" not in html and "/login" not in html


def test_revoked_screens_poll_answers_404_so_the_screen_reloads_onto_the_stopped_page(app, client, frozen, screen,
                                                                                      office_admin):
    with app.app_context():
        screens.revoke(db.session.get(User, office_admin), screen)
        db.session.commit()
    poll = client.get(f"/display/{TOKEN}/content", headers={"HX-Request": "true"})
    assert poll.status_code == 404 and "屏幕已停用" in poll.get_data(as_text=True)


def test_screen_on_a_holiday_says_the_hall_is_closed_and_when_it_reopens(app, client, frozen, screen, make_notice):
    frozen(datetime(2027, 1, 1, 9, 0))  # a Friday
    _closed(app, date(2027, 1, 1), "元旦")
    html = client.get(f"/display/{TOKEN}").get_data(as_text=True)
    assert "请到取号机取号" not in html
    assert "今天（元旦）大厅休息" in html and "1月4日（星期一）起正常办理" in html


def test_closed_slide_comes_first_before_public_notices_on_a_closure_day(app, client, frozen, screen, make_notice):
    make_notice("办事群众须知", audience="public", body="请先到取号机取号")
    _closed(app, date(2026, 11, 23), "", kind="closure")  # the frozen Monday
    _closed(app, date(2026, 11, 24), "", kind="closure")
    html = client.get(f"/display/{TOKEN}/content", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert html.index("slide-closed") < html.index("办事群众须知")
    assert "11月25日（星期三）起正常办理" in html


def test_screen_on_a_working_day_shows_no_closed_notice(client, frozen, screen):
    html = client.get(f"/display/{TOKEN}").get_data(as_text=True)
    assert "请到取号机取号" in html and "slide-closed" not in html


def test_screen_after_closing_on_a_working_day_says_the_day_is_over_and_when_the_hall_reopens(client, frozen,
                                                                                               screen):
    frozen(datetime(2026, 11, 27, 18, 0))  # a Friday evening, after the afternoon's office hours
    html = client.get(f"/display/{TOKEN}").get_data(as_text=True)
    assert "slide-closed" in html and "今天的办理时间已结束" in html and "今日办理已结束" in html
    assert "11月30日（星期一）8:00起正常办理" in html
    assert "请到取号机取号" not in html and "今日值班长" not in html


def test_screen_before_opening_says_when_the_hall_opens_today(client, frozen, screen):
    frozen(datetime(2026, 11, 23, 7, 30))
    html = client.get(f"/display/{TOKEN}").get_data(as_text=True)
    assert "大厅尚未开始办理业务" in html and "今天 8:00起正常办理" in html


def test_screen_at_lunch_time_is_an_open_hall(client, frozen, screen):
    frozen(datetime(2026, 11, 23, 13, 0))  # between the morning and the afternoon: the hall is open today
    assert "slide-closed" not in client.get(f"/display/{TOKEN}").get_data(as_text=True)
