"""The main pages of every role raise no Content-Security-Policy violation in the browser."""
from pathlib import Path

import pytest

from portal.roles import Role

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts"

PAGES = {
    Role.ADMIN: ["/", "/admin/windows", "/admin/people", "/admin/departments", "/admin/halls",
                 "/admin/rulebook", "/admin/rulebook/history", "/admin/calendar", "/sitin/week",
                 "/sitin/register", "/password"],
    Role.AUDITOR: ["/", "/admin/audit/", "/admin/audit/verify"],
    Role.WINDOW_LEADER: ["/", "/sitin/week", "/sitin/department"],
    Role.DUTY_LEADER: ["/", "/sitin/today", "/sitin/week"],
    Role.GENERAL_DUTY: ["/", "/sitin/today", "/sitin/register"],
    Role.SUPERVISOR: ["/", "/sitin/register"],
    Role.STAFF: ["/", "/password"],
}


@pytest.mark.parametrize("role", list(PAGES), ids=str)
def test_main_pages_raise_no_csp_violation(page, live_server, make_user, browser_login, csp_violations, role):
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    make_user("csp", role)
    browser_login("csp")
    for path in PAGES[role]:
        response = page.goto(f"{live_server}{path}")
        assert response.status == 200, path
        assert page.evaluate("typeof htmx") == "object", f"htmx did not load on {path}"
    assert csp_violations == [] and errors == []


def test_admin_reveals_a_masked_phone_in_place_without_csp_violation(page, live_server, make_user, browser_login,
                                                                    csp_violations, no_full_reload):
    make_user("boss", Role.ADMIN)
    pid = make_user("clerk", Role.STAFF, name="李秀英", phone="13812345678")
    browser_login("boss")
    page.goto(f"{live_server}/admin/people")
    cell = f"#pii-user-phone-{pid}"
    assert page.inner_text(cell).startswith("138****5678")
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "people-masked-phone.png"))
    assert page.locator(f"{cell} button").bounding_box()["height"] >= 44  # a touch target
    mark, unchanged = no_full_reload
    mark()
    page.click(f"{cell} button")
    page.wait_for_selector(f"{cell}.revealed")
    assert page.inner_text(cell) == "13812345678" and unchanged()
    page.screenshot(path=str(SHOTS / "people-revealed-phone.png"))
    assert csp_violations == []
