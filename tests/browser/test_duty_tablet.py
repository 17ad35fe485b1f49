"""Tablet rules on the duty pages: touch targets of 44px or more, no sideways scrolling."""
from datetime import datetime
from pathlib import Path

import pytest

from portal import clock
from portal.roles import Role
from tests.browser.test_tablet import SMALL_TARGETS
from tests.duty_fixtures import leaders, on_duty  # noqa: F401 - pytest fixtures

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts"

DESK_PAGES = ["/duty/", "/duty/checks/opening", "/duty/checks/closing", "/duty/log", "/duty/leave",
              "/duty/handover", "/duty/roster", "/duty/overrides"]
ADMIN_PAGES = ["/duty/rotation", "/duty/check-items"]


@pytest.mark.parametrize("login,pages", [("zhiban", DESK_PAGES), ("admin", ADMIN_PAGES)])
def test_duty_pages_have_44px_targets_and_fit_the_tablet(page, live_server, make_user, leaders, on_duty,
                                                         browser_login, csp_violations, login, pages):
    clock.freeze(datetime(2026, 11, 25, 8, 30))
    on_duty()
    make_user("admin", Role.ADMIN, department="office")
    browser_login(login)
    for path in pages:
        page.goto(f"{live_server}{path}")
        assert page.evaluate(SMALL_TARGETS) == [], path
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / f"duty{path.replace('/', '-').rstrip('-')}.png"))
    assert csp_violations == []
