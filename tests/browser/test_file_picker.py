"""Browser: a file field speaks Chinese (the browser's own button would say "Choose Files") and names the files."""
from datetime import datetime
from pathlib import Path

import pytest

from portal import clock
from portal.roles import Role

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82")


def test_a_notice_attachment_is_chosen_with_a_chinese_button_and_its_name_is_shown(
        page, live_server, make_user, browser_login, csp_violations):
    clock.freeze(datetime(2026, 11, 23, 9, 0))
    make_user("admin", Role.ADMIN, department="office", name="周主任")
    browser_login("admin")
    page.goto(f"{live_server}/notices/new")
    field = page.locator("input[type=file][name=attachments]")
    pick = page.locator("button.file-pick")
    assert pick.inner_text() == "选择文件（可多选）"
    assert field.is_hidden(), "the browser's own English control is still shown"
    box = pick.bounding_box()
    assert box["height"] >= 44
    assert page.inner_text(".file-names") == "未选择文件"
    with page.expect_file_chooser() as chooser:
        pick.click()
    chooser.value.set_files([{"name": "着装规范.png", "mimeType": "image/png", "buffer": PNG}])
    assert page.inner_text(".file-names") == "已选择：着装规范.png"
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "file-picker.png"))
    page.fill("input[name=title]", "关于规范窗口着装的通知")
    page.select_option("select[name=category]", "rule")
    page.fill("textarea[name=body]", "自下周一起统一着装。")
    page.click("button[value=publish]")
    page.wait_for_selector("#notice-show >> text=关于规范窗口着装的通知")
    assert "着装规范.png" in page.inner_text("#notice-show")
    assert not csp_violations
