"""A window leader books next Tuesday morning in the week view; the duty leader checks them in."""
from datetime import date, datetime
from pathlib import Path

import pytest

from portal import clock
from portal.duty.models import DutyDay
from portal.extensions import db
from portal.roles import Role

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def test_leader_books_tuesday_morning_and_duty_leader_checks_them_in(
        app, hall, page, live_server, make_user, browser_login, no_full_reload, csp_violations):
    clock.freeze(datetime(2026, 11, 25, 10, 0))  # Wednesday; the live server shares this clock
    make_user("lingdao", Role.WINDOW_LEADER, department="tax", name="王局长")
    zhiban = make_user("zhiban", Role.DUTY_LEADER, department="office", name="值班长甲")
    with app.app_context():  # zhiban holds the desk on Tuesday: only the holder records check-ins
        db.session.add(DutyDay(hall_id=hall["hall"], day=date(2026, 12, 1), leader_id=zhiban))
        db.session.commit()
    make_user("ducha", Role.SUPERVISOR, department="office")
    browser_login("lingdao")
    assert "尚未报备" in page.inner_text("#sitin-home")
    page.click("#sitin-home >> text=预约下周坐班")
    page.wait_for_selector("#sitin-week")
    mark, unchanged = no_full_reload
    mark()
    page.click("#sitin-2026-12-01-am button[data-half=am]")
    page.wait_for_selector("#sitin-week >> text=已预约 12月01日上午坐班")
    assert "税务局" in page.inner_text("#sitin-2026-12-01-am")
    assert unchanged(), "the page was reloaded instead of swapped"
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "sitin-week.png"))
    page.click("text=本部门坐班")
    page.wait_for_selector("#sitin-department >> text=12月01日 上午")
    page.screenshot(path=str(SHOTS / "sitin-department.png"))

    clock.freeze(datetime(2026, 12, 1, 8, 40))  # Tuesday morning at the duty desk
    page.context.clear_cookies()
    browser_login("zhiban")
    page.goto(f"{live_server}/sitin/today")
    row = page.locator("#sitin-today tr", has_text="税务局")
    assert "王局长" in row.inner_text()
    row.locator("button", has_text="已到").click()
    page.wait_for_selector("#sitin-today >> text=已到岗 08:40")
    page.screenshot(path=str(SHOTS / "sitin-today.png"))

    page.context.clear_cookies()
    browser_login("ducha")
    page.goto(f"{live_server}/sitin/register?week=2026-11-30")
    assert "符合规定" in page.locator("#sitin-register tr", has_text="税务局").inner_text()
    page.screenshot(path=str(SHOTS / "sitin-register.png"))
    assert not csp_violations
