"""The inspector patrols three windows on the tablet and finds the points in the month's ledger."""
from datetime import datetime
from pathlib import Path

import pytest

from portal import clock
from portal.extensions import db
from portal.org.models import Window
from portal.roles import Role
from tests.browser.test_tablet import SMALL_TARGETS
from tests.patrol_fixtures import staffed  # noqa: F401 - pytest fixtures
from tests.test_patrol_rounds import PNG

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def test_ducha_patrols_three_windows_and_sees_the_points_in_the_ledger(
        app, page, live_server, make_user, hall, staffed, browser_login, no_full_reload, csp_violations, tmp_path):
    clock.freeze(datetime(2026, 11, 24, 10, 0))  # a Tuesday; the live server shares this clock
    make_user("ducha", Role.SUPERVISOR, department="office", name="督查员")
    c = make_user("c3", Role.STAFF, department="police", name="赵三")
    with app.app_context():
        w3 = Window(hall_id=hall["hall"], number=3, name="出入境窗口", department_id=hall["police"], a_post_id=c)
        db.session.add(w3)
        db.session.commit()
        w3 = w3.id
    photo = tmp_path / "desk.png"
    photo.write_bytes(PNG)
    w1, w2 = staffed["w1"], staffed["w2"]
    SHOTS.mkdir(exist_ok=True)

    browser_login("ducha")
    page.goto(f"{live_server}/patrol/")
    page.click("text=开始巡查")
    page.wait_for_selector(f"#win-{w1}")
    mark, unchanged = no_full_reload
    mark()

    page.click(f"#win-{w1} >> text=检查")
    page.wait_for_selector(f"#win-{w1}.patrol-check")
    assert page.evaluate(SMALL_TARGETS) == []
    posts = page.inner_text(f"#win-{w1} .check-posts")
    assert "A岗 张一" in posts and "B岗 李一" in posts
    dress = page.locator(f"#win-{w1} .check-item", has_text="未按规定着装")
    assert dress.locator(".check-cost").inner_text() == "扣个人 1 分"
    empty = page.locator(f"#win-{w1} .check-item", has_text="窗口空岗")
    assert empty.locator(".check-cost").inner_text() == "扣单位 5 分"
    page.screenshot(path=str(SHOTS / "patrol-check.png"), full_page=True)
    dress.locator("label", has_text="A岗 张一").click()
    page.set_input_files(f"#win-{w1} input[type=file]", str(photo))
    page.click(f"#win-{w1} >> text=保存问题")
    page.wait_for_selector(f"#win-{w1}.state-findings img.thumb")

    page.click(f"#win-{w2} >> text=全部正常")
    page.wait_for_selector(f"#win-{w2}.state-ok")

    page.click(f"#win-{w3} >> text=检查")
    page.fill(f"#win-{w3} input[name=na_reason]", "窗口暂停服务")
    page.click(f"#win-{w3} >> button:has-text('不适用')")
    page.wait_for_selector(f"#win-{w3}.state-na")
    assert unchanged(), "a card save reloaded the page instead of swapping the card"
    assert page.inner_text("#patrol-progress") == "已查 3 / 3 个窗口"
    assert page.evaluate(SMALL_TARGETS) == []
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "patrol-round.png"))

    page.click("#patrol-round >> button:has-text('结束巡查')")
    page.wait_for_selector("#patrol-summary")
    assert "未按规定着装" in page.inner_text("#patrol-summary")
    assert "1" == page.inner_text("#summary-findings")

    page.goto(f"{live_server}/scores/?month=2026-11")
    row = page.locator("#scores-people tr", has_text="张一")
    assert "-1" in row.inner_text()
    row.locator("a").click()
    page.click("text=详情与证据")
    page.wait_for_selector("#scores-event img.thumb")
    assert page.evaluate(SMALL_TARGETS) == []
    page.screenshot(path=str(SHOTS / "scores-event.png"))

    page.click("text=查看巡查记录")  # the appeal is upheld: void the finding once, from its patrol record
    page.fill("#patrol-visit textarea[name=reason]", "申诉成立：当时在处理业务")
    page.click("#patrol-visit >> text=撤销所选问题")
    page.wait_for_selector("#patrol-visit .flash-ok")
    assert "已撤销 1 项问题" in page.inner_text("#patrol-visit")
    assert page.evaluate(SMALL_TARGETS) == []
    page.screenshot(path=str(SHOTS / "patrol-visit-void.png"))
    page.goto(f"{live_server}/scores/?month=2026-11")
    assert "+0" in page.locator("#scores-people tr", has_text="张一").inner_text()
    assert not csp_violations


def test_patrol_and_ledger_pages_fit_the_tablet(page, live_server, make_user, browser_login, csp_violations):
    clock.freeze(datetime(2026, 11, 24, 10, 0))
    make_user("ducha", Role.SUPERVISOR, department="office")
    browser_login("ducha")
    for path in ["/", "/patrol/", "/patrol/checklist", "/scores/", "/scores/manual"]:
        page.goto(f"{live_server}{path}")
        assert page.evaluate(SMALL_TARGETS) == [], path
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"
    page.goto(f"{live_server}/patrol/checklist")
    page.screenshot(path=str(SHOTS / "patrol-checklist.png"))
    assert not csp_violations
