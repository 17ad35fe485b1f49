"""The demo hall's board and its screen at /display/demo-hall-screen."""
import pytest

from portal.demo import DEMO_PASSWORD
from tests.conftest import sign_in


@pytest.mark.demo
def test_demo_screen_shows_public_notices_and_staff_see_a_must_read(app, client):
    screen = client.get("/display/demo-hall-screen").get_data(as_text=True)
    assert "办事群众须知" in screen and "考核结果公示" in screen
    assert "规范窗口工作纪律" not in screen and "元旦放假安排" not in screen
    staff = app.test_client()
    sign_in(staff, "chuangkou", DEMO_PASSWORD)
    home = staff.get("/").get_data(as_text=True)
    assert "关于进一步规范窗口工作纪律的通知" in home
    assert "税务窗口系统升级安排" in staff.get("/notices/").get_data(as_text=True)
