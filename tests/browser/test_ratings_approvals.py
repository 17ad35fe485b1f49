"""The center approves a unit's requests on a bad-review case; the supervisor records a praise; the hall screen."""
from datetime import datetime

import pytest

from portal import clock
from portal.auth.models import User
from portal.extensions import db
from portal.roles import Role
from tests.browser.test_ratings import EVALUATOR_SIZE, SHOTS, _sign_in
from tests.browser.test_tablet import SMALL_TARGETS
from tests.ratings_fixtures import TOKEN, evaluator_device, people  # noqa: F401 - pytest fixtures

pytestmark = pytest.mark.browser
SCREEN = "browser-ratings-screen-01"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _context(browser, size=None):
    return browser.new_context(viewport=size or {"width": 1024, "height": 768}, has_touch=True,
                               locale="zh-CN").new_page()


def _rate(app, evaluator, people, level_label, bad=False):
    from portal.ratings import visits
    with app.app_context():
        visits.invite(db.session.get(User, people["clerk"]))
        db.session.commit()
    evaluator.wait_for_selector("button.level", timeout=10000)
    evaluator.click(f"button.level >> text=/^{level_label}$/")
    if bad:
        evaluator.wait_for_selector("form.detail")
        evaluator.click("label.tag >> text=等候时间长")
        evaluator.fill("input[name=phone]", "13812345678")
        evaluator.click("text=提交评价")
    evaluator.wait_for_selector("text=感谢您的评价")
    evaluator.wait_for_selector("text=欢迎您对我们的服务进行评价", timeout=15000)


def _step(page, form, note, choice=None):
    page.wait_for_selector(f"#step-{form}")
    if choice:
        page.check(f"#step-{form} input[value=\"{choice}\"]")
    page.fill(f"#step-{form} textarea", note)
    page.click(f"#step-{form} button[type=submit]")


def test_the_center_approves_an_extension_and_a_case_that_cannot_be_rectified(
        app, browser, page, live_server, people, evaluator_device, make_user, csp_violations):
    clock.freeze(datetime(2026, 12, 1, 10, 0))
    SHOTS.mkdir(exist_ok=True)
    with app.app_context():
        from portal.display import service as screens
        screens.create_screen(db.session.get(User, people["admin"]), "大厅入口屏", token=SCREEN)
        db.session.commit()
    evaluator = _context(browser, EVALUATOR_SIZE)
    evaluator.goto(f"{live_server}/evaluator/{TOKEN}")
    _rate(app, evaluator, people, "非常满意")
    _rate(app, evaluator, people, "不满意", bad=True)

    leader = _context(browser)
    _sign_in(leader, live_server, "leader")
    leader.goto(f"{live_server}/inbox/")
    leader.click("main a.inbox-link:has-text(\"差评待核实\")")
    _step(leader, "verify", "调取录像，属实")
    _step(leader, "classify", "", "deadline")
    _step(leader, "extend", "需要更换取号设备，厂家供货要两周")
    leader.wait_for_selector("#case-request")
    assert "延期申请等待中心审批" in leader.inner_text("#case-request")

    center = _context(browser)
    _sign_in(center, live_server, "center")
    center.goto(f"{live_server}/inbox/")
    center.click("main a.inbox-link:has-text(\"延期申请待审批\")")
    center.wait_for_selector("#step-review")
    assert center.evaluate(SMALL_TARGETS) == []
    center.screenshot(path=str(SHOTS / "rating-case-extension-review.png"), full_page=True)
    _step(center, "review", "同意延期", "1")
    center.wait_for_selector("text=已记录：批准延期")

    leader.reload()
    _step(leader, "unable", "设备停产，无法按原方案整改")
    leader.wait_for_selector("text=无法整改申请等待中心审批")
    center.goto(f"{live_server}/inbox/")
    center.click("main a.inbox-link:has-text(\"无法整改申请待审批\")")
    _step(center, "review", "同意，向群众做好解释", "1")
    center.wait_for_selector("text=已记录：批准无法整改")
    assert "待回访" in center.inner_text("#rating-case .panel-head")
    center.screenshot(path=str(SHOTS / "rating-case-unable.png"), full_page=True)

    screen = _context(browser)
    screen.goto(f"{live_server}/display/{SCREEN}")
    assert "50.0%" in screen.inner_text("#side-good-rate")
    screen.screenshot(path=str(SHOTS / "hall-screen-good-rate.png"))

    make_user("inspector", Role.SUPERVISOR, department="office", name="孙督查")
    inspector = _context(browser)
    _sign_in(inspector, live_server, "inspector")
    inspector.goto(f"{live_server}/ratings/praise")
    inspector.select_option("#department_id", label="税务局")
    inspector.select_option("#staff_id", label="张小明（税务局）")
    inspector.fill("#received_on", "2026-11-30")
    inspector.fill("#source", "群众送锦旗")
    inspector.set_input_files("#evidence", files=[{"name": "锦旗.png", "mimeType": "image/png", "buffer": PNG}])
    inspector.click("text=登记并加分")
    inspector.wait_for_selector("text=并已按规则加分")
    assert "锦旗.png" in inspector.inner_text("#praise-list")
    assert inspector.evaluate(SMALL_TARGETS) == []
    assert inspector.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    inspector.screenshot(path=str(SHOTS / "rating-praise.png"), full_page=True)
    assert csp_violations == []
