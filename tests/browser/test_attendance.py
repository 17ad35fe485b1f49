"""Browser: a punch file uploaded, previewed row by row at tablet size, and confirmed."""
import os

from portal.attendance import formats
from portal.roles import Role
from tests.attendance_fixtures import ZKTECO_DAT, clerks, frozen  # noqa: F401


def test_an_admin_previews_a_punch_file_and_confirms_it(page, live_server, browser_login, make_user, clerks, frozen,
                                                        tmp_path):
    make_user("guanli", Role.ADMIN, department="office")
    browser_login("guanli")
    page.goto(f"{live_server}/attendance/import")
    page.select_option("select[name=profile]", formats.ZKTECO)
    path = tmp_path / "1_attlog.dat"
    path.write_bytes(ZKTECO_DAT)
    page.set_input_files("input[name=file]", str(path))
    page.click("text=上传并预览")
    page.wait_for_selector("#import-preview")
    assert page.locator(".import-unknown_id").count() == 1
    assert "与本文件第 1 行重复" in page.inner_text("#import-preview")
    page.screenshot(path=os.environ.get("ATTENDANCE_SHOT", str(tmp_path / "preview.png")), full_page=True)
    page.click("text=确认导入 5 条")
    page.wait_for_selector("#import-detail")
    assert "已导入 5 条打卡记录" in page.inner_text("#import-detail")
