"""A clerk asks for a day's leave, the general duty leader approves it from the inbox, the desk shows it covered."""
from datetime import datetime
from pathlib import Path

import pytest

from portal import clock
from portal.extensions import db
from portal.org.models import Window
from portal.roles import Role

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def test_a_days_leave_approved_from_the_inbox_shows_the_window_covered_on_the_desk(
        page, live_server, app, make_user, browser_login, csp_violations):
    clock.freeze(datetime(2026, 12, 1, 9, 0))  # Tuesday; the leave is for Wednesday
    clerk = make_user("wangwu", Role.STAFF, name="王五")
    mate = make_user("zhaoliu", Role.STAFF, name="赵六")
    make_user("zongzhiban", Role.GENERAL_DUTY, department="office", name="孙总值班长")
    with app.app_context():
        window = db.session.query(Window).filter_by(number=1).one()
        window.a_post_id, window.b_post_id = clerk, mate
        db.session.commit()

    browser_login("wangwu")
    page.goto(f"{live_server}/attendance/leave")
    page.select_option("#kind", "personal")
    page.fill("#first_day", "2026-12-02")
    page.fill("#last_day", "2026-12-02")
    page.fill("#reason", "孩子生病需陪同就医")
    page.click("#leave-form button[type=submit]")
    page.wait_for_selector("#leave-detail >> text=审批中")
    assert "等待值班主任审批" in page.inner_text("#leave-detail")

    page.context.clear_cookies()
    browser_login("zongzhiban")
    page.goto(f"{live_server}/inbox/")
    page.click(".inbox-link >> text=请假待审批")
    page.wait_for_selector("#leave-decision")
    page.click("#leave-decision button[value=approve]")
    page.wait_for_selector("#leave-detail >> text=已批准")
    assert "值班主任审批：同意 · 孙总值班长" in page.inner_text("#leave-detail")

    clock.freeze(datetime(2026, 12, 2, 10, 0))  # the next morning: a new session, the idle one has ended
    page.context.clear_cookies()
    browser_login("zongzhiban")
    page.goto(f"{live_server}/duty/")
    cell = page.locator("#duty-grid .wcell").first
    assert "B岗替岗" in cell.inner_text() and "请假" in cell.inner_text()
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "leave-desk-covered.png"), full_page=True)
    assert not csp_violations
