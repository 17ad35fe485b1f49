"""Browser: a must-read notice from the admin to a clerk and back; the hall screen at 1920x1080."""
from datetime import datetime
from pathlib import Path

import pytest

from portal import clock
from portal.auth.models import User
from portal.display import service as screens
from portal.extensions import db
from portal.notices import service
from portal.roles import Role

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts"
TOKEN = "browser-screen-token-0123456789"


def test_admin_publishes_must_read_and_sees_the_clerks_acknowledgement(
        page, live_server, make_user, browser_login, no_full_reload, csp_violations):
    clock.freeze(datetime(2026, 11, 23, 9, 0))
    make_user("admin", Role.ADMIN, department="office", name="周主任")
    make_user("chuangkou", Role.STAFF, department="tax", name="窗口甲")
    browser_login("admin")
    page.goto(f"{live_server}/notices/new")
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "notice-new.png"), full_page=True)
    page.fill("input[name=title]", "关于规范窗口着装的通知")
    page.select_option("select[name=category]", "rule")
    page.fill("textarea[name=body]", "自下周一起统一着装。")
    page.check("input[name=must_read]")
    page.click("button[value=publish]")
    page.wait_for_selector("#notice-show >> text=关于规范窗口着装的通知")
    page.click("text=阅知情况")
    assert "已阅知 0 / 2 人" in page.inner_text("#receipt-total")
    receipts_url = page.url

    page.context.clear_cookies()
    browser_login("chuangkou")
    assert "关于规范窗口着装的通知" in page.inner_text("#notice-home")
    page.goto(f"{live_server}/notices/")
    row = page.locator(".notice-row", has_text="关于规范窗口着装的通知")
    assert "未读" in row.inner_text() and "须阅知" in row.inner_text()
    page.screenshot(path=str(SHOTS / "notice-board.png"))
    row.locator("a").click()
    mark, unchanged = no_full_reload
    page.wait_for_selector("#notice-ack")
    mark()
    page.click("#notice-ack button")
    page.wait_for_selector("#notice-ack >> text=确认阅知")
    assert unchanged(), "the page was reloaded instead of swapped"
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "notice-acknowledged.png"))

    page.context.clear_cookies()
    browser_login("admin")
    page.goto(receipts_url)
    assert "已阅知 1 / 2 人" in page.inner_text("#receipt-total")
    page.screenshot(path=str(SHOTS / "notice-receipts.png"))
    assert not csp_violations


def test_hall_screen_shows_public_notice_and_switches_to_an_emergency_without_reload(
        app, browser, live_server, make_user, monkeypatch):
    clock.freeze(datetime(2026, 11, 25, 9, 30))  # a Wednesday: the director's reception day
    admin_id = make_user("admin", Role.ADMIN, department="office")
    with app.app_context():
        admin = db.session.get(User, admin_id)
        screen = screens.create_screen(admin, "大厅屏", token=TOKEN)
        screen.poll_seconds = 1
        public = service.create(admin, service.Draft(title="办事群众须知", body="请先取号，按叫号顺序办理。",
                                                     category="guide", audience="public"))
        service.publish(admin, public)
        hidden = service.create(admin, service.Draft(title="内部工作安排", audience="staff"))
        service.publish(admin, hidden)
        db.session.commit()
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    page = context.new_page()
    statuses, violations = [], []
    page.on("response", lambda r: statuses.append(r.status) if "/content" in r.url else None)
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(f"{live_server}/display/{TOKEN}")
    assert "办事群众须知" in page.inner_text("#screen-content")
    assert "内部工作安排" not in page.content()
    assert "今天" in page.inner_text(".side-today")
    page.wait_for_function("document.getElementById('screen-clock').textContent.length >= 8")
    page.evaluate("window.__screenMarker = 'still-here'")
    page.wait_for_timeout(2500)
    assert 304 in statuses, statuses  # nothing changed: the polls were answered 304
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "hall-screen.png"))

    # The server fails for a while: the screen keeps its notice and says it is reconnecting.
    def broken(_state):
        raise RuntimeError("database is down")
    monkeypatch.setattr(screens, "poll_state", broken)
    page.wait_for_selector("#screen-offline:not([hidden])", timeout=10000)
    assert "办事群众须知" in page.inner_text("#screen-content")
    monkeypatch.undo()

    with app.app_context():
        admin = db.session.get(User, admin_id)
        urgent = service.create(admin, service.Draft(title="大厅临时停电，暂停办理业务", body="预计 11:00 恢复。",
                                                     audience="public", emergency=True))
        service.publish(admin, urgent)
        db.session.commit()
    page.wait_for_selector(".slide-emergency >> text=大厅临时停电", timeout=10000)
    assert page.is_hidden("#screen-offline")
    assert "办事群众须知" not in page.inner_text("#screen-content")
    assert page.evaluate("window.__screenMarker") == "still-here", "the screen reloaded instead of swapping"
    page.screenshot(path=str(SHOTS / "hall-screen-emergency.png"))
    assert not violations
    context.close()
