"""The admin sets the document numbering through the htmx form; a refusal shows in place, in Chinese."""
from pathlib import Path

import pytest

from portal.roles import Role

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def test_admin_sets_numbering_in_place_and_a_bad_number_is_refused(page, live_server, make_user, browser_login,
                                                                     no_full_reload, csp_violations):
    make_user("admin", Role.ADMIN)
    browser_login("admin")
    page.click("text=通报、公示的机关代字与年度编号")
    page.wait_for_selector("#documents-panel")
    mark, unchanged = no_full_reload
    mark()
    page.fill("input[name=code]", "示范政服")
    page.fill("input[name=issuer]", "示范市政务服务中心")
    page.fill("input[name=next_number]", "0")
    page.click("#documents-panel button[type=submit]")
    page.wait_for_selector("text=下一个编号须在 1 到")
    page.fill("input[name=next_number]", "12")
    page.click("#documents-panel button[type=submit]")
    page.wait_for_selector("text=已保存")
    assert "示范政服〔" in page.inner_text("#documents-panel") and "12号" in page.inner_text("#documents-panel")
    assert unchanged(), "the page was reloaded instead of swapped"
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "admin-documents.png"), full_page=False)
    assert not csp_violations
