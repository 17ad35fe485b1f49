"""The clerk invites a rating, the evaluator at the window is rated 不满意 with a tag, the unit closes the case."""
from datetime import datetime
from pathlib import Path

import pytest

from portal import clock
from portal.extensions import db
from tests.browser.test_tablet import SMALL_TARGETS
from tests.conftest import PASSWORD
from tests.ratings_fixtures import TOKEN, evaluator_device, people  # noqa: F401 - pytest fixtures

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts"
EVALUATOR_SIZE = {"width": 800, "height": 480}  # a 7-inch tablet facing the public


def _sign_in(page, live_server, login):
    page.goto(f"{live_server}/login")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)


def test_a_bad_review_at_the_window_is_carried_through_to_a_closed_case(
        app, browser, page, live_server, people, evaluator_device, csp_violations):
    clock.freeze(datetime(2026, 12, 1, 10, 0))  # a Tuesday; the live server shares this clock
    SHOTS.mkdir(exist_ok=True)
    evaluator = browser.new_context(viewport=EVALUATOR_SIZE, has_touch=True, locale="zh-CN").new_page()
    evaluator.goto(f"{live_server}/evaluator/{TOKEN}")
    assert "欢迎您对我们的服务进行评价" in evaluator.inner_text("#evaluator")
    evaluator.screenshot(path=str(SHOTS / "evaluator-idle.png"))

    _sign_in(page, live_server, "clerk")
    page.goto(f"{live_server}/ratings/window")
    page.click("text=邀请评价")
    page.wait_for_selector("text=已邀请评价")

    evaluator.wait_for_selector("button.level", timeout=10000)  # the idle poll brings the five levels
    sizes = evaluator.eval_on_selector_all("button.level", "els => els.map(e => [e.offsetWidth, e.offsetHeight,"
                                           " getComputedStyle(e).backgroundColor])")
    assert len(sizes) == 5 and len(set(map(tuple, sizes))) == 1  # same size and colour: nothing steers
    assert evaluator.evaluate(SMALL_TARGETS) == []
    assert evaluator.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    evaluator.screenshot(path=str(SHOTS / "evaluator-levels.png"))
    evaluator.click("button.level >> text=/^不满意$/")
    evaluator.wait_for_selector("form.detail")
    evaluator.click("label.tag >> text=等候时间长")
    evaluator.fill("input[name=phone]", "13812345678")
    evaluator.screenshot(path=str(SHOTS / "evaluator-detail.png"))
    evaluator.click("text=提交评价")
    evaluator.wait_for_selector("text=感谢您的评价")
    evaluator.screenshot(path=str(SHOTS / "evaluator-thanks.png"))
    evaluator.wait_for_selector("text=欢迎您对我们的服务进行评价", timeout=15000)  # back to idle
    assert "/ratings" not in evaluator.content() and "张小明" not in evaluator.content()

    leader = browser.new_context(viewport={"width": 1024, "height": 768}, has_touch=True, locale="zh-CN").new_page()
    _sign_in(leader, live_server, "leader")
    leader.goto(f"{live_server}/inbox/")
    leader.click("main a.inbox-link:has-text(\"差评待核实\")")
    leader.wait_for_selector("#rating-case")
    assert "138****5678" in leader.inner_text("#rating-case") and "等候时间长" in leader.inner_text("#rating-case")
    leader.fill("#step-verify textarea", "调取录像，群众等候较久属实")
    leader.click("#step-verify button")
    leader.wait_for_selector("#step-classify")
    leader.check("#step-classify input[value=fix_now]")
    leader.click("#step-classify button[type=submit]")
    leader.wait_for_selector("#step-rectify")
    assert leader.evaluate(SMALL_TARGETS) == []
    leader.screenshot(path=str(SHOTS / "rating-case.png"), full_page=True)
    leader.fill("#step-rectify textarea", "增开一个临时窗口分流")
    leader.click("#step-rectify button[type=submit]")
    leader.wait_for_selector("#step-callback")
    leader.fill("#step-callback textarea", "电话回访，群众表示满意")
    leader.click("#step-callback button[type=submit]")
    leader.wait_for_selector("text=已记录：回访")
    assert "已办结" in leader.inner_text("#rating-case .panel-head")
    leader.screenshot(path=str(SHOTS / "rating-case-closed.png"), full_page=True)
    with app.app_context():
        from portal.scores.models import ScoreEvent
        assert db.session.query(ScoreEvent).count() == 2
    assert csp_violations == []
