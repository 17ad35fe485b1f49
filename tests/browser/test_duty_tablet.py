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
ADMIN_PAGES = ["/duty/rotation", "/duty/check-items", "/duty/replan"]


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


def test_the_duty_leader_on_duty_reaches_the_notice_board_from_the_desk(page, live_server, app, hall, leaders,
                                                                        on_duty, browser_login, csp_violations):
    from portal.extensions import db
    from portal.notices.models import Notice
    clock.freeze(datetime(2026, 11, 25, 8, 30))
    on_duty()
    with app.app_context():
        db.session.add(Notice(hall_id=hall["hall"], title="关于元旦值班安排的通知", body="请阅知", must_read=True,
                              state="published", publish_at=clock.now(), author_id=leaders["general"]))
        db.session.commit()
    browser_login("zhiban")
    page.goto(f"{live_server}/duty/")
    assert "1 条须阅知公告未确认" in page.inner_text("#duty-must-read")
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "duty-desk-nav.png"))
    page.click("#duty-links >> text=公告栏")
    page.wait_for_url(f"{live_server}/notices/")
    page.click("header >> text=首页")
    page.wait_for_url(f"{live_server}/")
    assert page.locator("#home-on-duty").is_visible()
    assert csp_violations == []
