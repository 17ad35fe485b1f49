"""A window leader sees 坐班未报备 in the top bar, files next week's sit-in, and the count drops in place."""
from datetime import datetime
from pathlib import Path

import pytest
from playwright.sync_api import expect

from portal import clock
from portal.roles import Role

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def test_window_leader_files_the_sitin_and_the_top_bar_count_drops_without_a_reload(
        page, live_server, make_user, browser_login, no_full_reload, csp_violations):
    clock.freeze(datetime(2026, 11, 25, 10, 0))  # Wednesday; next week is due on Friday
    make_user("lingdao", Role.WINDOW_LEADER, department="tax", name="王局长")
    browser_login("lingdao")
    page.wait_for_selector("#inbox-bar >> text=坐班未报备")
    assert page.inner_text("#inbox-count") == "1"
    page.goto(f"{live_server}/sitin/week?start=2026-11-30")
    page.wait_for_selector("#inbox-bar >> text=坐班未报备")
    mark, unchanged = no_full_reload
    mark()
    page.click("#sitin-2026-12-01-am button[data-half=am]")
    page.wait_for_selector("#sitin-week >> text=已预约 12月01日上午坐班")
    expect(page.locator("#inbox-count")).to_have_text("0")  # no eval: the page's CSP forbids it
    assert "坐班未报备" not in page.inner_text("#inbox-bar")
    assert unchanged(), "the page was reloaded instead of swapped"

    page.goto(f"{live_server}/inbox/")
    page.wait_for_selector("#inbox-list")
    assert page.inner_text("#inbox-count") == "0"
    assert not csp_violations


def test_inbox_page_at_tablet_size(page, live_server, make_user, browser_login, hall, app):
    clock.freeze(datetime(2026, 11, 27, 16, 0))  # Friday afternoon: the filing is due in an hour
    make_user("lingdao", Role.WINDOW_LEADER, department="tax", name="王局长")
    browser_login("lingdao")
    page.goto(f"{live_server}/inbox/")
    page.wait_for_selector("#inbox-bar >> text=坐班未报备")
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "inbox.png"), full_page=True)
    box = page.locator(".inbox-link").first.bounding_box()
    assert box["height"] >= 44


def test_supervisor_inbox_with_every_group_at_tablet_size(page, live_server, make_user, browser_login, app):
    from portal.auth.models import User
    from portal.extensions import db
    from portal.notices import service as notices
    from portal.patrol import service as patrol
    supervisor = make_user("ducha", Role.SUPERVISOR, department="office", name="督查科赵")
    admin = make_user("zhuren", Role.ADMIN, department="office", name="周主任")
    clock.freeze(datetime(2026, 9, 10, 10, 0))
    with app.test_request_context():
        patrol.finish_round(patrol.start_round(db.session.get(User, supervisor)))
        db.session.commit()
    clock.freeze(datetime(2026, 11, 25, 14, 45))  # Wednesday afternoon: the morning patrol is overdue
    with app.test_request_context():
        notices.create(db.session.get(User, supervisor),
                       notices.Draft(title="关于11月窗口脱岗问题的通报", body="正文", category="bulletin"))
        n = notices.create(db.session.get(User, admin), notices.Draft(title="关于元旦假期值班安排的通知",
                                                                      body="正文", must_read=True))
        notices.publish(db.session.get(User, admin), n)
        db.session.commit()
    browser_login("ducha")
    page.goto(f"{live_server}/inbox/")
    page.wait_for_selector("#inbox-bar >> text=项过期")
    assert page.locator("#inbox-overdue").count() == 1 and page.locator("#inbox-today").count() == 1
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "inbox-supervisor.png"), full_page=True)
