"""The admin adds a window through the htmx form and sees it in the grid, without a reload."""
from pathlib import Path

import pytest

from portal.roles import Role

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def test_admin_adds_window_without_page_reload(page, live_server, make_user, browser_login,
                                                no_full_reload, csp_violations):
    make_user("admin", Role.ADMIN)
    browser_login("admin")
    page.click("text=窗口一览（按编号）与 AB 岗")
    page.wait_for_selector("#window-grid")
    mark, unchanged = no_full_reload
    mark()
    page.click("text=新增窗口")
    page.wait_for_selector("#window-form")
    page.fill("input[name=number]", "37")
    page.fill("input[name=name]", "不动产登记综合窗口")
    page.select_option("select[name=department_id]", label="税务局")
    page.click("#window-form button[type=submit]")
    card = page.locator(".window-card", has_text="不动产登记综合窗口")
    card.wait_for()
    assert "37" in card.inner_text()
    assert unchanged(), "the page was reloaded instead of swapped"
    assert page.url.endswith("/admin/windows")
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "admin-windows.png"), full_page=False)
    assert not csp_violations


def test_window_form_shows_chinese_error_in_place(page, live_server, make_user, browser_login):
    make_user("admin", Role.ADMIN)
    browser_login("admin")
    page.goto(f"{live_server}/admin/windows/new")
    page.fill("input[name=number]", "1")  # already taken by the fixture hall
    page.fill("input[name=name]", "重复窗口")
    page.click("#window-form button[type=submit]")
    page.wait_for_selector("text=这个窗口编号已经存在")
    assert page.locator(".window-card", has_text="重复窗口").count() == 0
