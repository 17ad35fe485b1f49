"""The duty leader runs a day from the tablet: checks, a complaint, a short leave and the handover."""
from datetime import datetime
from pathlib import Path

import pytest

from portal import clock
from tests.duty_fixtures import leaders, on_duty, staffed  # noqa: F401 - pytest fixtures

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def test_duty_leader_runs_the_day_and_hands_over(page, live_server, leaders, on_duty, staffed, browser_login,
                                                 no_full_reload, csp_violations):
    clock.freeze(datetime(2026, 11, 25, 7, 50))  # Wednesday, ten minutes before opening
    on_duty()
    browser_login("zhiban")
    page.goto(f"{live_server}/duty/")
    assert "值班长甲" in page.inner_text("#duty-holder")
    mark, unchanged = no_full_reload
    mark()

    # Opening check with one fault: the fault shows in the desk's log without a reload.
    page.click(".duty-nav >> text=开厅检查")
    page.wait_for_selector("#duty-check-opening")
    row = page.locator("#duty-check-opening fieldset.check-row", has_text="评价器")
    row.locator(".choice-fault").click()
    row.locator("input[type=text]").fill("3 号评价器黑屏")
    page.click("#check-all-ok")  # the rest are normal: one deliberate tap
    page.wait_for_selector("#duty-check-opening >> text=1 项故障已登记到值班日志")
    page.wait_for_selector("#duty-open-items >> text=评价器：3 号评价器黑屏")
    assert "已完成" in page.inner_text("#check-opening")
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "duty-desk.png"), full_page=True)

    # A complaint through all four steps.
    page.click(".duty-nav >> text=值班日志")
    page.wait_for_selector("#duty-log")
    page.select_option("#duty-log select[name=kind]", "complaint")
    page.fill("#duty-log textarea[name=text]", "群众投诉 28 号窗口等候时间长")
    page.click("#duty-log button:has-text('登记')")
    page.wait_for_selector("#duty-log >> text=已登记：投诉")
    page.click("#duty-log-items >> text=群众投诉 28 号窗口等候时间长")
    for label, note in (("报告", "已报告中心领导"), ("落实", "已协调增开窗口"), ("反馈", "已电话回复群众")):
        page.wait_for_selector(f"#step-form >> text=记录“{label}”")
        page.fill("#step-form textarea[name=note]", note)
        page.click(f"#step-form >> text=记录“{label}”")
        page.wait_for_selector(f"#log-steps >> text={note}")
    page.wait_for_selector("#duty-log >> text=已反馈，事项办结。")

    # A short leave and its return.
    page.click(".duty-nav >> text=临时外出")
    page.wait_for_selector("#duty-leave")
    page.click("#leave-windows >> text=1")
    page.wait_for_selector("#leave-posts")
    page.screenshot(path=str(SHOTS / "duty-leave-picker.png"))
    page.click("#leave-posts >> text=A岗：甲岗")
    page.wait_for_selector("#leave-person >> text=甲岗")
    page.screenshot(path=str(SHOTS / "duty-leave-form.png"))
    page.fill("#duty-leave input[name=minutes]", "30")
    page.fill("#duty-leave input[name=reason]", "到银行办事")
    page.click("#duty-leave >> text=批准外出")
    page.wait_for_selector("#duty-leave >> text=乙岗（B岗）替岗")
    page.wait_for_selector("#duty-out >> text=甲岗")
    page.click("#leave-out >> text=已返回")
    page.wait_for_selector("#duty-leave >> text=甲岗已于 07:50 返回")
    assert unchanged(), "the desk was reloaded instead of swapped"
    assert "1 人外出" not in page.inner_text("#duty-live")

    # Handover to the next leader, who signs in and confirms.
    page.click(".duty-nav >> text=交接班")
    page.wait_for_selector("#duty-handover")
    page.select_option("#duty-handover select[name=to_user_id]", label="值班长乙")
    page.fill("#duty-handover textarea[name=summary]", "今日平稳，评价器故障待信息科处理")
    page.click("#duty-handover >> text=生成交接单")
    page.wait_for_selector("#duty-handover >> text=等待值班长乙登录确认")
    page.context.clear_cookies()
    browser_login("zhiban2")
    page.goto(f"{live_server}/duty/")
    page.click("#duty-head >> text=确认交接")
    page.wait_for_selector(".handover-pending >> text=评价器")
    page.click("text=确认接班")
    page.wait_for_selector("#duty-handover >> text=已确认接班")
    page.screenshot(path=str(SHOTS / "duty-handover.png"))
    assert not csp_violations


def test_the_desk_polls_conditionally_and_keeps_its_grid_when_nothing_changed(page, live_server, app, leaders, on_duty,
                                                                              browser_login, no_full_reload,
                                                                              csp_violations):
    from portal.extensions import db
    from portal.rulebook.models import RuleSetting
    clock.freeze(datetime(2026, 11, 25, 9, 30))
    on_duty()
    with app.app_context():  # the quickest poll the rulebook allows, so the test sees a few
        db.session.merge(RuleSetting(key="duty.desk_poll_seconds", value="5", version=1, changed_at=clock.now()))
        db.session.commit()
    polls = []
    page.on("response", lambda r: polls.append((r.status, r.request.headers)) if "/duty/live" in r.url else None)
    browser_login("zhiban")
    page.goto(f"{live_server}/duty/")
    mark, unchanged = no_full_reload
    mark()
    cells = page.locator("#duty-grid .wcell").count()
    page.wait_for_timeout(11_500)
    assert [status for status, _ in polls][:2] == [200, 304], polls
    assert all(h.get("x-halldesk-poll") == "1" for _, h in polls)  # polls do not count as someone at the tablet
    assert "if-none-match" in polls[1][1]
    assert unchanged() and page.locator("#duty-grid .wcell").count() == cells > 0  # a 304 is not swapped in
    assert csp_violations == []
