"""Duty desk pages: forms answer with Chinese messages and the right status, nothing half-saved."""
from datetime import datetime

import pytest

from portal.duty.models import DutyCheck, DutyLogItem, ShortLeave
from portal.extensions import db
from portal.roles import Role
from tests.conftest import sign_in, token
from tests.duty_fixtures import frozen, leaders, on_duty, staffed  # noqa: F401 - pytest fixtures
from tests.pdftools import pdf_text

HX = {"HX-Request": "true"}


@pytest.fixture
def desk(client, frozen, leaders, on_duty):
    """zhiban holds today's duty and is signed in; return the CSRF token."""
    on_duty()
    sign_in(client, "zhiban")
    return token(client, "/duty/")


def _new_item(client, csrf, kind="complaint", text="群众投诉排队时间长", **extra):
    return client.post("/duty/log/new", data={"csrf_token": csrf, "kind": kind, "text": text, **extra}, headers=HX)


def _only_item(app):
    with app.app_context():
        return db.session.query(DutyLogItem).one()


@pytest.mark.parametrize("path,root", [("/duty/log", "duty-log"), ("/duty/leave", "duty-leave"),
                                       ("/duty/handover", "duty-handover"), ("/duty/roster", "duty-roster"),
                                       ("/duty/checks/opening", "duty-check-opening"),
                                       ("/duty/overrides", "duty-overrides")])
def test_panel_is_a_page_plainly_and_a_fragment_for_htmx(client, desk, path, root):
    page = client.get(path).get_data(as_text=True)
    fragment = client.get(path, headers=HX).get_data(as_text=True)
    assert "<html" in page and f'id="{root}"' in page
    assert "<html" not in fragment and f'id="{root}"' in fragment


def test_complaint_moves_through_the_four_steps(app, client, desk):
    assert _new_item(client, desk).status_code == 200
    item = _only_item(app)
    for step in ("reported", "acted", "fed_back"):
        version = _only_item(app).version
        r = client.post(f"/duty/log/{item.id}/step", headers=HX,
                        data={"csrf_token": desk, "step": step, "version": version, "note": f"{step} 说明"})
        assert r.status_code == 200 and r.headers["HX-Trigger"] == "duty-changed"
    assert "事项办结" in r.get_data(as_text=True) and _only_item(app).state == "fed_back"


def test_skipping_a_step_is_refused_with_422(app, client, desk):
    _new_item(client, desk)
    item = _only_item(app)
    r = client.post(f"/duty/log/{item.id}/step", headers=HX,
                    data={"csrf_token": desk, "step": "fed_back", "version": item.version, "note": "直接反馈"})
    assert r.status_code == 422 and "不能跳过" in r.get_data(as_text=True)
    assert _only_item(app).state == "registered"


def test_second_concurrent_save_is_refused_with_409(app, client, desk):
    _new_item(client, desk)
    item = _only_item(app)
    data = {"csrf_token": desk, "step": "reported", "version": item.version, "note": "第一人报告"}
    assert client.post(f"/duty/log/{item.id}/step", data=data, headers=HX).status_code == 200
    second = client.post(f"/duty/log/{item.id}/step", data={**data, "note": "第二人报告"}, headers=HX)
    assert second.status_code == 409 and "他人更新" in second.get_data(as_text=True)
    with app.app_context():
        notes = [s.note for s in db.session.get(DutyLogItem, item.id).steps]
    assert notes == ["", "第一人报告"]


def test_duty_leader_not_on_duty_cannot_write_the_log(app, client, frozen, leaders, on_duty):
    on_duty()
    sign_in(client, "zhiban2")
    r = _new_item(client, token(client, "/duty/"))
    assert r.status_code == 422 and "今天的值班长是值班长甲" in r.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(DutyLogItem).count() == 0


def _item_ids(app, kind="opening"):
    from portal.duty.models import DutyCheckItem
    with app.app_context():
        return {i.label: i.id for i in db.session.query(DutyCheckItem).filter_by(kind=kind, active=True)}


def test_opening_check_with_a_fault_puts_it_in_the_log(app, client, desk):
    ids = _item_ids(app)
    led = ids["LED 显示屏"]
    data = {"csrf_token": desk, **{f"r-{i}": "ok" for i in ids.values()},
            f"r-{led}": "fault", f"note-{led}": "LED 屏不亮"}
    r = client.post("/duty/checks/opening", data=data, headers=HX)
    assert r.status_code == 200 and "1 项故障" in r.get_data(as_text=True)
    assert "LED 显示屏：LED 屏不亮" in client.get("/duty/live", headers=HX).get_data(as_text=True)
    again = client.post("/duty/checks/opening", data=data, headers=HX)
    assert again.status_code == 409
    with app.app_context():
        assert db.session.query(DutyCheck).count() == 1


def test_short_leave_and_return_before_departure_refused(app, client, desk, staffed, frozen):
    r = client.post("/duty/leave/new", headers=HX, data={"csrf_token": desk, "user_id": staffed["a"],
                                                          "minutes": 30, "reason": "银行办事"})
    assert r.status_code == 200 and "乙岗（B岗）替岗" in r.get_data(as_text=True)
    with app.app_context():
        slip_id = db.session.query(ShortLeave).one().id
    too_long = client.post("/duty/leave/new", headers=HX, data={"csrf_token": desk, "user_id": staffed["b"],
                                                                 "minutes": 150, "reason": "看病"})
    assert too_long.status_code == 422 and "不能超过" in too_long.get_data(as_text=True)
    for minute in (44, 58):  # duty sessions end after a short idle time: keep this one alive
        frozen(datetime(2026, 11, 25, 9, minute))
        client.get("/duty/live", headers=HX)
    frozen(datetime(2026, 11, 25, 10, 1))
    assert "超时" in client.get("/duty/live", headers=HX).get_data(as_text=True)
    early = client.post(f"/duty/leave/{slip_id}/return", headers=HX, data={"csrf_token": desk, "at": "09:00"})
    assert early.status_code == 422 and "不能早于外出时间" in early.get_data(as_text=True)
    back = client.post(f"/duty/leave/{slip_id}/return", headers=HX, data={"csrf_token": desk, "at": ""})
    assert back.status_code == 200 and "10:01 返回" in back.get_data(as_text=True)


def test_handover_confirmed_by_the_wrong_person_is_refused(app, client, desk, leaders):
    _new_item(client, desk, text="空调漏水待维修")
    r = client.post("/duty/handover/new", headers=HX,
                    data={"csrf_token": desk, "to_user_id": leaders["other"], "summary": "今日平稳"})
    assert r.status_code == 200 and "等待值班长乙登录确认" in r.get_data(as_text=True)
    from portal.duty.models import DutyHandover
    with app.app_context():
        hid = db.session.query(DutyHandover).one().id
    wrong = client.post(f"/duty/handover/{hid}/confirm", headers=HX, data={"csrf_token": desk})
    assert wrong.status_code == 422 and "只有接班人值班长乙本人" in wrong.get_data(as_text=True)
    client.post("/logout", data={"csrf_token": desk})
    sign_in(client, "zhiban2")
    csrf = token(client, "/duty/handover")
    ok = client.post(f"/duty/handover/{hid}/confirm", headers=HX, data={"csrf_token": csrf})
    assert ok.status_code == 200 and "由您负责" in ok.get_data(as_text=True)
    assert _only_item(app).owner_id == leaders["other"]
    pdf = client.get(f"/duty/handover/{hid}.pdf")
    text = pdf_text(pdf.data)
    assert "交接班记录" in text and "空调漏水待维修" in text and "值班长乙" in text


def test_major_item_shows_on_the_general_duty_leaders_home(app, client, desk, make_user):
    _new_item(client, desk, kind="incident", text="大厅停电", major="y")
    client.post("/logout", data={"csrf_token": desk})
    sign_in(client, "zongzhiban")
    home = client.get("/").get_data(as_text=True)
    assert 'id="duty-major"' in home and "大厅停电" in home


def test_log_filters_and_search(app, client, desk):
    _new_item(client, desk, kind="consultation", text="咨询公积金提取")
    _new_item(client, desk, kind="complaint", text="投诉态度差")
    html = client.get("/duty/log?kind=consultation", headers=HX).get_data(as_text=True)
    assert "咨询公积金提取" in html and "投诉态度差" not in html
    html = client.get("/duty/log?q=态度", headers=HX).get_data(as_text=True)
    assert "投诉态度差" in html and "咨询公积金提取" not in html
    html = client.get("/duty/log?state=reported&day=2026-11-25", headers=HX).get_data(as_text=True)
    assert "没有符合条件的事项" in html


def test_leave_sheet_and_weekly_summary_pdfs(app, client, desk, staffed):
    client.post("/duty/leave/new", headers=HX, data={"csrf_token": desk, "user_id": staffed["a"],
                                                     "minutes": 20, "reason": "送材料"})
    _new_item(client, desk, kind="fault", text="叫号机卡纸")
    sheet = pdf_text(client.get("/duty/leave/sheet.pdf").data)
    assert "临时外出登记表" in sheet and "甲岗" in sheet and "送材料" in sheet
    weekly = pdf_text(client.get("/duty/weekly.pdf?week=2026-11-23").data)
    assert "值班周报" in weekly and "叫号机卡纸" in weekly and "设备故障" in weekly and "交接班与值班小结" in weekly


def test_override_request_and_approval_over_http(app, client, desk, leaders, on_duty):
    from datetime import date
    on_duty(leaders["zhiban"], date(2026, 11, 27))
    r = client.post("/duty/overrides/new", headers=HX, data={"csrf_token": desk, "substitute_id": leaders["other"],
                                                             "first_day": "2026-11-27", "last_day": "2026-11-27",
                                                             "reason": "培训"})
    assert r.status_code == 200 and "等待总值班长审批" in r.get_data(as_text=True)
    client.post("/logout", data={"csrf_token": desk})
    sign_in(client, "zongzhiban")
    csrf = token(client, "/duty/overrides")
    from portal.duty.models import DutyOverride
    with app.app_context():
        oid = db.session.query(DutyOverride).one().id
    assert client.post(f"/duty/overrides/{oid}/approve", headers=HX, data={"csrf_token": csrf}).status_code == 200
    roster = client.get("/duty/roster?month=2026-11", headers=HX).get_data(as_text=True)
    assert "替值班长甲" in roster


def test_calendar_feed_lists_duty_days_by_private_token(app, client, desk):
    client.post("/duty/calendar-token", data={"csrf_token": desk})
    from portal.auth.models import User
    with app.app_context():
        tok = db.session.query(User).filter_by(login="zhiban").one().calendar_token
    from datetime import date

    from icalendar import Calendar
    feed = client.get(f"/duty/feed/{tok}.ics")
    assert feed.status_code == 200 and feed.mimetype == "text/calendar"
    cal = Calendar.from_ical(feed.data)
    assert str(cal["x-wr-calname"]) == "值班长值班"
    assert [e.decoded("dtstart") for e in cal.walk("VEVENT")] == [date(2026, 11, 25)]
    assert client.get("/duty/feed/wrong-token-wrong-token-xx.ics").status_code == 404


def test_admin_sets_the_order_and_generates_the_roster(app, client, login_as, leaders):
    from portal import clock
    from tests.duty_fixtures import WEDNESDAY
    clock.freeze(WEDNESDAY)
    login_as(Role.ADMIN)
    csrf = token(client, "/duty/rotation")
    order = {"member": [leaders["zhiban"], leaders["other"]],
             f"pos-{leaders['zhiban']}": "2", f"pos-{leaders['other']}": "1"}
    r = client.post("/duty/rotation", headers=HX, data={"csrf_token": csrf, "action": "order", **order})
    assert "轮值顺序已保存" in r.get_data(as_text=True)
    r = client.post("/duty/rotation", headers=HX, data={"csrf_token": csrf, "start": "2026-11-30", "end": "2026-12-04",
                                                        "general_leader_id": leaders["general"]})
    assert "已生成 5 个工作日" in r.get_data(as_text=True)
    roster = client.get("/duty/roster?month=2026-12", headers=HX).get_data(as_text=True)
    assert "值班长乙" in roster and "总：总值班长丙" in roster


def test_log_item_of_another_hall_is_not_found(app, client, desk, hall):
    from portal.org.models import Hall
    with app.app_context():
        other = Hall(name="另一个大厅")
        db.session.add(other)
        db.session.flush()
        from portal.auth.models import User
        owner = db.session.query(User).filter_by(login="zhiban").one()
        item = DutyLogItem(hall_id=other.id, day=owner.created_at.date(), kind="other", text="别处的事项",
                           owner_id=owner.id)
        db.session.add(item)
        db.session.commit()
        item_id = item.id
    assert client.get(f"/duty/log/{item_id}").status_code == 404
    r = client.post(f"/duty/log/{item_id}/step", data={"csrf_token": desk, "step": "reported", "version": 1,
                                                       "note": "越权"})
    assert r.status_code == 404


def test_leaving_the_counter_gives_the_desk_to_the_substitute_once_approved(app, client, desk, leaders, frozen):
    r = client.post("/duty/counter", headers=HX, data={"csrf_token": desk, "substitute_id": leaders["other"],
                                                       "starts": "09:35", "ends": "10:30", "reason": "到市局开会"})
    assert r.status_code == 200 and "离岗申请已提交" in r.get_data(as_text=True)
    general = app.test_client()
    sign_in(general, "zongzhiban")
    from portal.duty.models import DutyOverride
    with app.app_context():
        oid = db.session.query(DutyOverride).one().id
    csrf = token(general, "/duty/overrides")
    assert general.post(f"/duty/overrides/{oid}/approve", headers=HX, data={"csrf_token": csrf}).status_code == 200
    frozen(datetime(2026, 11, 25, 9, 40))
    refused = _new_item(client, desk, text="离岗期间的登记")
    assert refused.status_code == 422 and "今天的值班长是值班长乙" in refused.get_data(as_text=True)
    substitute = app.test_client()
    sign_in(substitute, "zhiban2")
    assert "临时替岗至 10:30" in substitute.get("/duty/").get_data(as_text=True)
    assert _new_item(substitute, token(substitute, "/duty/"), text="替岗期间的登记").status_code == 200


def test_reversed_counter_times_are_refused(client, desk, leaders):
    r = client.post("/duty/counter", headers=HX, data={"csrf_token": desk, "substitute_id": leaders["other"],
                                                       "starts": "11:00", "ends": "10:00", "reason": "开会"})
    assert r.status_code == 422 and "结束时间须晚于开始时间" in r.get_data(as_text=True)


def test_admin_edits_the_checklist_and_the_check_follows(app, client, login_as, frozen, hall):
    login_as(Role.ADMIN)
    csrf = token(client, "/duty/check-items")
    r = client.post("/duty/check-items", headers=HX, data={"csrf_token": csrf, "kind": "opening",
                                                           "label": "自助终端", "office_id": hall["office"]})
    assert r.status_code == 200 and "自助终端" in r.get_data(as_text=True)
    from portal.duty.models import DutyCheckItem
    with app.app_context():
        first = db.session.query(DutyCheckItem).filter_by(label="考勤机").one().id
    client.post(f"/duty/check-items/{first}/retire", headers=HX, data={"csrf_token": csrf})
    form = client.get("/duty/checks/opening").get_data(as_text=True)
    assert "自助终端" in form and "考勤机" not in form
    ids = _item_ids(app)
    new = ids["自助终端"]
    data = {"csrf_token": csrf, **{f"r-{i}": "ok" for i in ids.values()},
            f"r-{new}": "fault", f"note-{new}": "触屏失灵"}
    assert client.post("/duty/checks/opening", data=data, headers=HX).status_code == 200
    with app.app_context():
        fault = db.session.query(DutyLogItem).one()
        assert fault.text == "自助终端：触屏失灵" and fault.office_id == hall["office"]


def test_registering_answers_htmx_with_the_form_and_the_new_row_only(app, client, desk):
    _new_item(client, desk, text="较早登记的事项")
    r = _new_item(client, desk, text="新登记的事项")
    body = r.get_data(as_text=True)
    newest = max(i.id for i in _items(app))
    assert r.status_code == 200 and r.headers["HX-Trigger"] == "duty-changed"
    assert 'id="duty-log-new"' in body and "已登记：投诉" in body
    assert f'id="log-{newest}"' in body and 'hx-swap-oob="afterbegin:#duty-log-items tbody"' in body
    assert "较早登记的事项" not in body and 'id="duty-log-items"' not in body
    assert 'name="text"' in body and "新登记的事项</textarea>" not in body  # the form comes back empty
    page = client.post("/duty/log/new", data={"csrf_token": desk, "kind": "complaint", "text": "第三件"})
    html = page.get_data(as_text=True)
    assert "<html" in html and "较早登记的事项" in html and "第三件" in html and 'id="duty-log-items"' in html


def test_refused_registration_answers_with_the_form_and_its_message(app, client, desk):
    r = _new_item(client, desk, text="")
    body = r.get_data(as_text=True)
    assert r.status_code == 422 and "请填写事项内容" in body and 'id="duty-log-new"' in body
    assert 'id="duty-log-items"' not in body and _items(app) == []


def test_registering_costs_the_same_queries_however_long_the_log(app, client, desk):
    from tests.querycount import count_queries
    _new_item(client, desk)
    with count_queries(app) as short:
        assert _new_item(client, desk).status_code == 200
    for n in range(30):
        _new_item(client, desk, text=f"事项 {n}")
    with count_queries(app) as long:
        assert _new_item(client, desk).status_code == 200
    assert len(long) == len(short), long
    assert len(long) <= 20, long


def _items(app):
    with app.app_context():
        return db.session.query(DutyLogItem).all()


def test_a_window_that_is_not_a_number_is_refused_on_the_form_not_a_server_error(app, client, desk):
    r = _new_item(client, desk, window_id="abc")
    assert r.status_code in (400, 409, 422) and "窗口" in r.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(DutyLogItem).count() == 0
