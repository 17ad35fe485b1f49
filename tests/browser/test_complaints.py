"""The duty leader takes a complaint at the desk, the unit accepts and answers it, the citizen reads the reply."""
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from portal import clock
from portal.complaints.models import Complaint
from portal.duty.models import DutyDay
from portal.extensions import db
from portal.roles import Role

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def test_desk_complaint_is_accepted_from_the_inbox_answered_and_read_at_track(
        page, live_server, app, hall, make_user, browser_login, csp_violations):
    clock.freeze(datetime(2026, 12, 3, 10, 0))
    duty = make_user("zhiban", Role.DUTY_LEADER, department="office", name="值班长甲")
    general = make_user("zong", Role.GENERAL_DUTY, department="office", name="总值班长")
    make_user("taxlead", Role.WINDOW_LEADER, department="tax", name="税务主管")
    with app.app_context():
        db.session.add(DutyDay(hall_id=hall["hall"], day=date(2026, 12, 3), leader_id=duty, general_leader_id=general))
        db.session.commit()
    SHOTS.mkdir(exist_ok=True)

    browser_login("zhiban")
    page.goto(f"{live_server}/complaints/new")
    page.select_option("select[name=department_id]", str(hall["tax"]))
    page.fill("input[name=name]", "李四")
    page.fill("input[name=phone]", "13812345678")
    page.fill("textarea[name=text]", "税务窗口人员态度生硬")
    page.check("input[name=at_desk]")
    page.screenshot(path=str(SHOTS / "complaints-new.png"), caret="initial")
    page.click("#complaint-new button[type=submit]")
    page.wait_for_selector("#complaint-case >> text=已受理")
    assert "138****5678" in page.inner_text("#complaint-case")
    with app.app_context():  # the desk's log item names the case and links back to it
        case_id, number, item_id = db.session.execute(
            select(Complaint.id, Complaint.number, Complaint.duty_log_item_id)).one()
    page.goto(f"{live_server}/duty/log/{item_id}")
    page.click(f"#log-record a:has-text('投诉件 {number}')")
    page.wait_for_url(f"{live_server}/complaints/{case_id}")
    page.wait_for_selector("#complaint-case")
    page.click("#complaint-case button:has-text('派单')")
    page.wait_for_selector("#complaint-case >> text=已派单，等待承办单位签收")

    page.context.clear_cookies()
    browser_login("taxlead")
    page.goto(f"{live_server}/inbox/")
    page.click(".inbox-link:has-text('投诉待签收')")
    page.wait_for_selector("#complaint-case")
    page.click("#complaint-case button:has-text('签收')")
    page.wait_for_selector("#complaint-case >> text=已签收")
    page.screenshot(path=str(SHOTS / "complaints-accepted.png"), caret="initial")
    page.select_option("select[name=verdict]", "partly")
    page.fill("textarea[name=note]", "调取监控，窗口人员语气生硬")
    page.click("#complaint-case button:has-text('记录核实结果')")
    page.wait_for_selector("#complaint-case >> text=已记录核实结果")
    page.fill("textarea[name=text]", "经核实部分属实，已对窗口人员批评教育并当面致歉。")
    page.click("#complaint-case button:has-text('正式答复')")
    page.wait_for_selector("#complaint-case >> text=已答复")
    page.screenshot(path=str(SHOTS / "complaints-case.png"), caret="initial")

    with app.app_context():
        case = db.session.execute(select(Complaint)).scalar_one()
        number, code = case.number, case.query_code
    page.context.clear_cookies()
    page.goto(f"{live_server}/track")
    page.fill("input[name=number]", number)
    page.fill("input[name=code]", code)
    page.click("#complaint-track button[type=submit]")
    page.wait_for_selector("#track-result")
    text = page.inner_text("#complaint-track")
    assert "已对窗口人员批评教育" in text and "税务主管" not in text and "值班长甲" not in text
    page.screenshot(path=str(SHOTS / "complaints-track.png"), caret="initial")
    assert not csp_violations, csp_violations
