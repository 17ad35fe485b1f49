"""The admin's people list: its search lives in the address, its row buttons fit a tablet."""
from pathlib import Path

import pytest

from portal.roles import Role

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def test_people_search_stays_in_the_address_through_an_edit_reload_and_back(page, live_server, make_user,
                                                                            browser_login):
    make_user("admin", Role.ADMIN)
    make_user("clerk-zhao", Role.STAFF, name="赵窗口")
    make_user("clerk-qian", Role.STAFF, name="钱窗口")
    browser_login("admin")
    page.goto(f"{live_server}/admin/people")
    page.fill("#people-panel input[name=q]", "赵")
    page.click("#people-panel button:has-text('查找')")
    page.wait_for_url(lambda url: "q=" in url)
    page.click("#people-panel tbody tr >> text=修改")
    page.wait_for_selector("#people-panel form.editor")
    page.click("#people-panel form.editor button:has-text('保存')")
    page.wait_for_selector("text=已保存 赵窗口")
    assert "/edit" not in page.url and "q=" in page.url
    page.reload()
    assert page.input_value("#people-panel input[name=q]") == "赵"
    assert page.locator("#people-panel tbody tr").count() == 1
    page.fill("#people-panel input[name=q]", "钱")
    page.click("#people-panel button:has-text('查找')")
    page.wait_for_selector("#people-panel tbody tr >> text=钱窗口")
    page.go_back()
    page.wait_for_selector("#people-panel tbody tr >> text=赵窗口")
    assert page.locator("#people-panel tbody tr").count() == 1


def test_people_row_buttons_sit_in_one_row_of_touch_sized_targets(page, live_server, make_user, browser_login):
    make_user("admin", Role.ADMIN)
    make_user("clerk-zhao-wanting", Role.STAFF, Role.DUTY_LEADER, Role.WINDOW_LEADER, name="赵婉婷",
              department="police", phone="13812345678")
    browser_login("admin")
    page.goto(f"{live_server}/admin/people")
    row = page.locator("#people-panel tbody tr", has_text="赵婉婷")
    boxes = [b.bounding_box() for b in row.locator(".row-actions .btn").all()]
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "admin-people.png"), full_page=False)
    assert len(boxes) == 4
    assert all(b["height"] >= 44 and b["width"] >= 44 for b in boxes), boxes
    assert len({round(b["y"]) for b in boxes}) <= 2, boxes  # two a row, not a stack of four
    assert not any(_overlap(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:]), boxes
    assert page.evaluate("document.documentElement.scrollWidth") <= 1024  # nothing off the side


def _overlap(a, b) -> bool:
    return (a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"]
            and a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"])
