"""The duty leader sees an overdue case on the desk, reminds the window, and the clerk finds it in the inbox."""
from pathlib import Path

import pytest

from portal.roles import Role
from tests.cases_fixtures import clerks, export, frozen, imported, row  # noqa: F401

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def test_duty_leader_reminds_the_window_of_an_overdue_case_and_the_clerk_sees_it_in_the_inbox(
        page, live_server, make_user, browser_login, frozen, imported, clerks, csp_violations):
    imported(export(row("BJ100", "2026-12-07 09:00", 2), row("BJ101", "2026-12-10 09:00", 1),
                    row("BJ102", "2026-12-10 09:00", 3, clerk="李四", window="2")))
    make_user("zhiban", Role.DUTY_LEADER, department="office", name="值班长甲")
    browser_login("zhiban")
    page.goto(f"{live_server}/duty/")
    page.wait_for_selector("#desk-cases-panel >> text=BJ100")
    assert "超期 1 件" in page.inner_text("#desk-case-window-1")
    # The grid marks window 1 (set by the panel) and keeps the mark when its poll redraws the grid.
    page.wait_for_selector("#duty-grid .wmark-overdue")
    assert page.locator("#duty-grid a.wcell", has_text="超期1").count() == 1
    page.evaluate("htmx.ajax('GET', '/duty/live', {target: '#duty-live', swap: 'outerHTML'})")
    page.wait_for_function("document.querySelector('#duty-live').dataset.etag !== undefined")
    page.wait_for_timeout(500)
    assert page.locator("#duty-grid a.wcell", has_text="超期1").count() == 1
    SHOTS.mkdir(exist_ok=True)
    page.locator("#desk-cases-panel").screenshot(path=str(SHOTS / "cases-desk-panel.png"))
    page.screenshot(path=str(SHOTS / "cases-desk.png"), full_page=True)
    button = page.locator("#desk-case-window-1 button", has_text="提醒窗口")
    assert button.bounding_box()["height"] >= 44
    button.click()
    page.wait_for_selector("#desk-cases-panel >> text=已提醒 1号窗口")
    assert "值班长甲 已于" in page.inner_text("#desk-case-window-1")
    page.goto(f"{live_server}/cases/")
    page.wait_for_selector("#case-list >> text=BJ100")
    page.screenshot(path=str(SHOTS / "cases.png"), full_page=True)
    page.context.clear_cookies()
    browser_login("zhang")
    page.goto(f"{live_server}/inbox/")
    page.wait_for_selector("#inbox-list >> text=值班长提醒办件期限")
    assert "值班长甲" in page.inner_text("#inbox-list")
    assert "BJ100" in page.inner_text("#inbox-list")
    page.screenshot(path=str(SHOTS / "cases-clerk-inbox.png"), full_page=True)
    assert not csp_violations


def test_the_center_publishes_the_month_s_overdue_cases_numbered_on_the_board(
        page, live_server, browser_login, frozen, imported, clerks, csp_violations):
    imported(export(row("BJ090", "2026-11-20 09:00", 2)))
    browser_login("caseadmin")
    page.goto(f"{live_server}/cases/month?month=2026-11")
    button = page.locator("#case-month button", has_text="发布公示（编号）")
    assert button.bounding_box()["height"] >= 44
    page.screenshot(path=str(SHOTS / "cases-month.png"), full_page=True)
    page.once("dialog", lambda dialog: dialog.accept())
    button.click()
    page.wait_for_url(f"{live_server}/notices/*")
    assert "关于2026年11月超期办件情况的公示" in page.inner_text("main")
    page.screenshot(path=str(SHOTS / "cases-publicity-notice.png"), full_page=True)
    assert not csp_violations
