"""The month's assessment in the browser: the supervisor reviews, the admin publishes, a window leader objects
to one line from the inbox, and the supervisor rules on it."""
from pathlib import Path

import pytest

from tests.assessment_fixtures import frozen, ledger, staff  # noqa: F401

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts"
NOV = "2026-11"


def _sign_out_and_in(page, browser_login, login):
    page.context.clear_cookies()
    browser_login(login)


def test_review_publish_object_from_the_inbox_and_rule(page, live_server, browser_login, staff, ledger, frozen,
                                                        csp_violations):
    ledger(-5, unit="tax", rule="巡查：窗口空岗", source="patrol")
    ledger(-2, person=staff["clerk"], rule="迟到", source="attendance")
    ledger(2, unit="police", rule="感谢信（表扬）", source="manual")
    SHOTS.mkdir(exist_ok=True)
    browser_login("supervisor")
    page.goto(f"{live_server}/assessment/?month={NOV}")
    page.click("#assessment-actions button:has-text('复核')")
    page.wait_for_selector("#assessment-state >> text=已复核")
    _sign_out_and_in(page, browser_login, "director")
    page.goto(f"{live_server}/assessment/?month={NOV}")
    page.once("dialog", lambda dialog: dialog.accept())
    button = page.locator("#assessment-actions button", has_text="公示")
    assert button.bounding_box()["height"] >= 44
    button.click()
    page.wait_for_selector("#assessment-state >> text=公示中")
    page.screenshot(path=str(SHOTS / "assessment-month.png"), full_page=True)
    _sign_out_and_in(page, browser_login, "leader")
    page.goto(f"{live_server}/inbox/")
    page.click("#inbox-list a.inbox-link:has-text('月度考核结果已公示')")
    page.wait_for_selector("#assessment-sheet >> text=巡查：窗口空岗")
    page.click("#cat-patrol + table summary:has-text('提出异议')")
    page.fill("#cat-patrol + table textarea", "当日窗口有人值守，请核实监控")
    page.click("#cat-patrol + table button:has-text('提交异议')")
    page.wait_for_selector("#assessment-sheet >> text=异议已提交")
    page.screenshot(path=str(SHOTS / "assessment-unit-sheet.png"), full_page=True)
    _sign_out_and_in(page, browser_login, "supervisor")
    page.goto(f"{live_server}/inbox/")
    page.click("#inbox-list a.inbox-link:has-text('考核异议待裁定')")
    page.wait_for_selector("#assessment-objections >> text=当日窗口有人值守")
    page.check("#assessment-objections input[value=upheld]")
    page.fill("#assessment-objections textarea", "查监控属实，撤销该项扣分")
    page.click("#assessment-objections button:has-text('裁定')")
    page.wait_for_selector("#assessment-objections >> text=该项记分已撤销")
    page.screenshot(path=str(SHOTS / "assessment-objections.png"), full_page=True)
    page.goto(f"{live_server}/assessment/?month={NOV}")
    assert page.inner_text("#assessment-units tbody tr:first-child").startswith("1")
    assert not csp_violations
