"""Complaint pages: registering at the desk, masking, the case page, the public tracking page, the inbox."""
import re
from datetime import date

from sqlalchemy import func, select

from portal import clock
from portal.audit.models import AuditEvent
from portal.complaints import handling, service
from portal.complaints.models import Complaint, TrackFailure
from portal.duty.models import DutyDay, DutyLogItem
from portal.extensions import db
from tests.complaints_fixtures import THURSDAY, new_case, people, person  # noqa: F401
from tests.conftest import sign_in, token
from tests.inbox_fixtures import sources_of, waiting


def _desk(app, hall, people):
    with app.app_context():
        db.session.add(DutyDay(hall_id=hall["hall"], day=date(2026, 12, 3), leader_id=people["duty"],
                               general_leader_id=people["general"]))
        db.session.commit()


def _register(client, **data):
    form = {"channel": "in_person", "kind": "complaint", "name": "李四", "phone": "13812345678",
            "window_id": "", "department_id": "", "text": "窗口人员态度生硬",
            "csrf_token": token(client, "/complaints/new")}
    form.update(data)
    return client.post("/complaints/new", data=form)


def test_a_complaint_taken_at_the_desk_is_the_desks_log_item_entered_once(app, client, hall, people):
    clock.freeze(THURSDAY)
    _desk(app, hall, people)
    sign_in(client, "zhiban")
    html = _register(client, at_desk="y").get_data(as_text=True)
    assert "已受理" in html and "李*" in html and "138****5678" in html and "李四" not in html
    with app.app_context():
        case = db.session.execute(select(Complaint)).scalar_one()
        item = db.session.get(DutyLogItem, case.duty_log_item_id)
        assert item.kind == "complaint" and case.number in item.text and item.people == "李*"
        assert db.session.execute(select(func.count(DutyLogItem.id))).scalar_one() == 1
    shown = client.get(f"/duty/log/{item.id}").get_data(as_text=True)  # the log item links back to its case
    assert f'href="/complaints/{case.id}">投诉件 {case.number}</a>' in shown


def test_registering_at_the_desk_needs_the_desk(app, client, hall, people):
    clock.freeze(THURSDAY)
    sign_in(client, "zhiban")
    response = _register(client, at_desk="y")
    assert response.status_code == 422
    with app.app_context():
        assert db.session.execute(select(func.count(Complaint.id))).scalar_one() == 0


def test_complainant_data_stays_masked_in_the_audit_log(app, client, hall, people):
    clock.freeze(THURSDAY)
    sign_in(client, "zhiban")
    _register(client)
    with app.app_context():
        details = " ".join(db.session.execute(select(AuditEvent.detail)).scalars())
        assert "13812345678" not in details and "138****5678" in details


def test_the_case_page_shows_every_deadline_and_owner(app, client, hall, people, new_case):
    with app.app_context():
        case = new_case()
        service.send(person(people["duty"]), case, hall["tax"])
        db.session.commit()
        case_id = case.id
    sign_in(client, "zhiban")
    html = client.get(f"/complaints/{case_id}").get_data(as_text=True)
    assert "签收期限" in html and "答复期限" in html and "回访期限" in html and "首问责任人 值班长甲" in html
    fragment = client.get(f"/complaints/{case_id}", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in fragment and 'id="complaint-case"' in fragment


def test_another_units_leader_cannot_open_the_case(app, client, hall, people, new_case):
    with app.app_context():
        case = new_case()
        db.session.commit()
        case_id = case.id
    sign_in(client, "polead")
    assert client.get(f"/complaints/{case_id}").status_code == 404


def _replied_case(app, hall, people, new_case):
    with app.app_context():
        case = new_case()
        service.send(person(people["duty"]), case, hall["tax"])
        leader = person(people["leader"])
        service.accept(leader, case)
        handling.verify(leader, case, "partly", "内部核实：窗口员当日情绪不佳")
        handling.reply(leader, case, "经核实部分属实，已对窗口人员批评教育。")
        db.session.commit()
        return case.number, case.query_code, case.id


def test_the_public_page_shows_the_reply_for_the_right_code_and_no_staff_names(app, client, hall, people,
                                                                              new_case):
    number, code, _ = _replied_case(app, hall, people, new_case)
    html = client.post("/track", data={"number": number, "code": code,
                                       "csrf_token": token(client, "/track")}).get_data(as_text=True)
    assert "已答复" in html and "已对窗口人员批评教育" in html
    assert "税务主管" not in html and "值班长甲" not in html and "内部核实" not in html


def test_the_public_page_gives_a_stations_case_its_stations_deadline(app, client, hall, people, new_case):
    from portal.complaints import deadlines
    from portal.rulebook import service as rules
    from tests.conftest import make_station
    with app.app_context():
        case = new_case()
        db.session.commit()
        key = f"complaints.{case.kind}_days"
        make_station(app, hall["hall"], **{key.replace(".", "__"): int(rules.get(key)) + 3})
        with app.test_request_context("/"), rules.in_hall(hall["hall"]):
            due = clock.local(deadlines.of(case).reply_by).strftime("%Y-%m-%d %H:%M")
        with app.test_request_context("/"):
            assert clock.local(deadlines.of(case).reply_by).strftime("%Y-%m-%d %H:%M") != due  # the county's
        number, code = case.number, case.query_code
    html = client.post("/track", data={"number": number, "code": code,
                                       "csrf_token": token(client, "/track")}).get_data(as_text=True)
    assert due in html


def _without_tokens(response) -> str:
    """The page without its CSRF tokens (signed with the second they were made in), whatever the field order."""
    return re.sub(r'(csrf_token"[^>]*? value="|"X-CSRFToken": ")[^"]+', "", response.get_data(as_text=True))


def test_a_wrong_code_and_a_wrong_number_get_the_same_answer_and_are_limited(app, client, hall, people, new_case):
    number, code, _ = _replied_case(app, hall, people, new_case)
    csrf = token(client, "/track")
    wrong_code = client.post("/track", data={"number": number, "code": "000000", "csrf_token": csrf})
    wrong_number = client.post("/track", data={"number": "20991231999", "code": code, "csrf_token": csrf})
    assert wrong_code.status_code == wrong_number.status_code == 404
    assert "案件编号或查询码不正确" in wrong_code.get_data(as_text=True)
    assert _without_tokens(wrong_code) == _without_tokens(wrong_number)
    for _ in range(3):
        client.post("/track", data={"number": number, "code": "111111", "csrf_token": csrf})
    limited = client.post("/track", data={"number": number, "code": code, "csrf_token": csrf})
    assert limited.status_code == 429 and "已答复" not in limited.get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(select(func.count(TrackFailure.id))).scalar_one() == 5
        failed = db.session.execute(select(func.count(AuditEvent.id)).where(
            AuditEvent.event == "complaint.track_failed")).scalar_one()
        assert failed == 5


def test_the_reply_letter_prints_in_the_document_layout(app, client, hall, people, new_case):
    _, _, case_id = _replied_case(app, hall, people, new_case)
    sign_in(client, "zhiban")
    response = client.get(f"/complaints/{case_id}/letter.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"


def test_inbox_shows_cases_to_accept_then_to_answer(app, hall, people, new_case):
    with app.app_context():
        case = new_case()
        service.send(person(people["duty"]), case, hall["tax"])
        db.session.commit()
        case_id = str(case.id)
    assert ("complaints.accept", "投诉待签收", case_id) in waiting(app, people["leader"], THURSDAY)
    assert "complaints.accept" not in sources_of(app, people["police"], THURSDAY)
    with app.app_context():
        service.accept(person(people["leader"]), db.session.get(Complaint, int(case_id)))
        db.session.commit()
    assert ("complaints.reply", "投诉待答复", case_id) in waiting(app, people["leader"], THURSDAY)
    assert "complaints.accept" not in sources_of(app, people["leader"], THURSDAY)


def test_inbox_shows_extensions_to_the_center(app, hall, people, new_case):
    with app.app_context():
        case = new_case()
        service.send(person(people["duty"]), case, hall["tax"])
        service.accept(person(people["leader"]), case)
        handling.ask_extension(person(people["leader"]), case, "需调取监控")
        db.session.commit()
        case_id = str(case.id)
    assert ("complaints.extension", "投诉延期待审批", case_id) in waiting(app, people["admin"], THURSDAY)


def test_the_center_reveals_a_complainants_phone_and_the_reveal_is_audited(app, client, hall, people, new_case):
    with app.app_context():
        case = new_case()
        db.session.commit()
        case_id = case.id
    sign_in(client, "center")
    page = client.get(f"/complaints/{case_id}").get_data(as_text=True)
    assert "138****5678" in page and "13812345678" not in page
    shown = client.post(f"/privacy/reveal/complaint.phone/{case_id}", data={"csrf_token": token(client)})
    assert "13812345678" in shown.get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(select(func.count(AuditEvent.id)).where(
            AuditEvent.event == "privacy.reveal", AuditEvent.object_type == "complaint")).scalar_one() == 1
    staff = app.test_client()
    sign_in(staff, "taxlead")
    assert staff.post(f"/privacy/reveal/complaint.phone/{case_id}",
                      data={"csrf_token": token(staff)}).status_code == 403


def test_an_escalated_case_waits_for_the_general_duty_leader(app, hall, people, new_case):
    from datetime import datetime

    from portal.complaints import jobs
    with app.app_context():
        case = new_case()
        service.send(person(people["duty"]), case, hall["tax"])
        clock.freeze(datetime(2026, 12, 4, 9, 0))
        jobs.run(hall["hall"])
        db.session.commit()
        case_id = str(case.id)
    assert ("complaints.escalated", "投诉超时未签收", case_id) in waiting(app, people["general"])
    assert "complaints.escalated" not in sources_of(app, people["duty"])
