"""Browser: a duty leader votes for the red flags on a tablet, the admin awards them, a unit head's feedback."""
from pathlib import Path

import pytest

from portal.roles import Role
from tests.assessment_fixtures import frozen, staff  # noqa: F401
from tests.awards_fixtures import duty_days, publish, unit_points, units  # noqa: F401

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def test_a_duty_leader_votes_and_the_admin_awards_the_red_flags(page, live_server, make_user, browser_login, units,
                                                                staff, unit_points, publish, duty_days, frozen,
                                                                csp_violations):
    voter = make_user("duty1", Role.DUTY_LEADER, department="office", name="值班长甲")
    duty_days(voter)
    unit_points("police", -3, "窗口空岗", "patrol")
    publish()
    browser_login("duty1")
    page.goto(f"{live_server}/assessment/awards/vote?month=2026-11")
    page.click("label.check-row:has-text('社保局')")
    page.click("label.check-row:has-text('税务局')")
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "awards-vote.png"))
    box = page.locator("label.check-row").first.bounding_box()
    assert box["height"] >= 44
    page.click("#assessment-vote button[type=submit]")
    page.wait_for_selector("#vote-done")
    page.context.clear_cookies()
    browser_login("director")
    page.goto(f"{live_server}/assessment/awards?month=2026-11")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("text=评定流动红旗并记加分")
    page.wait_for_selector("text=已评定")
    page.screenshot(path=str(SHOTS / "awards-month.png"), full_page=True)
    assert page.locator("#red-flag-standings .tag", has_text="流动红旗").count() >= 1
    page.goto(f"{live_server}/assessment/feedback?year=2026&half=2&department_id={units['tax']}")
    page.wait_for_selector("#assessment-feedback svg")
    page.screenshot(path=str(SHOTS / "assessment-feedback.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1024
    assert not csp_violations
