"""Browser: a revoked hall screen, the screen on a holiday, and a late sit-in booking, at 1024x768."""
from datetime import date, datetime
from pathlib import Path

import pytest

from portal import clock
from portal.auth.models import User
from portal.display import service as screens
from portal.extensions import db
from portal.roles import Role
from portal.rulebook.models import CalendarDay

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts"
TOKEN = "browser-screen-token-revoked-01"


def _screen(app, admin_id):
    with app.app_context():
        screen = screens.create_screen(db.session.get(User, admin_id), "大厅屏", token=TOKEN)
        screen.poll_seconds = 1
        db.session.commit()
        return screen.id


def test_revoked_screen_reloads_onto_a_neutral_stopped_page(app, page, live_server, make_user, csp_violations):
    clock.freeze(datetime(2026, 11, 25, 9, 30))
    admin_id = make_user("admin", Role.ADMIN, department="office")
    screen_id = _screen(app, admin_id)
    page.goto(f"{live_server}/display/{TOKEN}")
    page.wait_for_selector("#screen-content .slide")
    with app.app_context():
        screens.revoke(db.session.get(User, admin_id), screen_id)
        db.session.commit()
    page.wait_for_selector("#screen-stopped", timeout=10000)
    assert "屏幕已停用" in page.inner_text("body")
    assert page.locator("a").count() == 0 and "登录" not in page.content()
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "hall-screen-stopped.png"))
    assert not csp_violations


def test_screen_on_a_holiday_says_closed_and_when_it_reopens(app, page, live_server, make_user, csp_violations):
    clock.freeze(datetime(2027, 1, 1, 9, 30))
    with app.app_context():
        db.session.add(CalendarDay(day=date(2027, 1, 1), kind="holiday", name="元旦"))
        db.session.commit()
    _screen(app, make_user("admin", Role.ADMIN, department="office"))
    page.goto(f"{live_server}/display/{TOKEN}")
    text = page.inner_text("#screen-content")
    assert "今天（元旦）大厅休息" in text and "1月4日（星期一）起正常办理" in text
    assert "请到取号机取号" not in text
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "hall-screen-holiday.png"))
    assert not csp_violations


def test_screen_after_closing_time_says_the_day_is_over_and_when_it_reopens(app, page, live_server, make_user,
                                                                            csp_violations):
    clock.freeze(datetime(2026, 11, 27, 18, 0))  # a Friday evening
    _screen(app, make_user("admin", Role.ADMIN, department="office"))
    page.goto(f"{live_server}/display/{TOKEN}")
    text = page.inner_text("#screen-content")
    assert "今天的办理时间已结束" in text and "11月30日（星期一）8:00起正常办理" in text
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "hall-screen-after-hours.png"))
    assert not csp_violations


def test_late_sit_in_booking_is_confirmed_as_a_warning(page, live_server, make_user, browser_login,
                                                       csp_violations):
    clock.freeze(datetime(2026, 11, 27, 18, 0))  # Friday, an hour after next week's deadline
    make_user("lingdao", Role.WINDOW_LEADER, department="tax", name="王局长")
    browser_login("lingdao")
    page.goto(f"{live_server}/sitin/week?start=2026-11-30")
    page.click("#sitin-2026-12-01-am button[data-half=am]")
    message = page.wait_for_selector("#sitin-week .flash[role=status]")
    assert "报备逾期" in message.inner_text() and "flash-warn" in message.get_attribute("class")
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "sitin-late-booking.png"))
    assert not csp_violations
