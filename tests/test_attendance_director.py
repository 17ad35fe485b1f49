"""Naming the leave duty director (值班主任): the admin's page, once per tap, audited, and the chain follows it."""
from datetime import date

from sqlalchemy import select

from portal.attendance import leave
from portal.audit.models import AuditEvent
from portal.extensions import db
from portal.once import new_key
from portal.roles import Role
from tests.conftest import csrf_from, sign_in
from tests.leave_fixtures import ask, people, person  # noqa: F401
from tests.test_attendance_leave_days import later  # noqa: F401

THU = date(2026, 12, 10)


def _post(client, user_id, key=None):
    csrf = csrf_from(client.get("/attendance/director").get_data(as_text=True))
    return client.post("/attendance/director", data={"csrf_token": csrf, "once": key or new_key(),
                                                     "user_id": str(user_id)})


def test_the_admin_names_the_leave_duty_director_and_a_day_s_leave_waits_for_them(
        app, client, later, people, person, ask):
    sign_in(client, "director")
    page = client.get("/attendance/director").get_data(as_text=True)
    assert "由总值班长审批：" in page and "孙总值班长" in page
    key = new_key()
    assert _post(client, people["unit"], key).status_code == 303
    assert _post(client, people["unit"], key).status_code == 303, "a resend answers the first result"
    assert "现由 <strong>钱科长</strong> 审批" in client.get("/attendance/director").get_data(as_text=True)
    with app.app_context():
        row = ask(THU, THU)
        assert leave.director_ids(row.hall_id) == {people["unit"]}
        assert leave.may_decide(person(people["unit"]), row)
        assert not leave.may_decide(person(people["general"]), row)
        audited = db.session.execute(select(AuditEvent).where(
            AuditEvent.object_type == "attendance_leave_director")).scalars().all()
        assert [(e.event, e.user_id) for e in audited] == [("attendance_leave_director.create", people["admin"])]
    assert _post(client, 0).status_code == 303
    with app.app_context():
        assert leave.director_ids(person(people["admin"]).hall_id) == {people["general"]}
        events = db.session.execute(select(AuditEvent.event).where(
            AuditEvent.object_type == "attendance_leave_director")).scalars().all()
        assert events == ["attendance_leave_director.create", "attendance_leave_director.delete"]


def test_a_leave_director_must_be_an_active_person_of_the_hall(app, client, later, people, make_user):
    auditor = make_user("shenji", Role.AUDITOR)
    sign_in(client, "director")
    answer = _post(client, auditor)
    assert answer.status_code == 422 and "请选择本大厅在岗的工作人员" in answer.get_data(as_text=True)
    assert _post(client, 99999).status_code == 404


def test_only_the_admin_names_the_leave_director(app, client, later, people):
    sign_in(client, "general")
    assert client.get("/attendance/director").status_code == 403
    assert client.post("/attendance/director", data={"user_id": people["general"]}).status_code == 403


def test_a_named_director_who_left_hands_the_decisions_back_to_the_general_duty_leaders(
        app, client, later, people, person):
    sign_in(client, "director")
    assert _post(client, people["unit"]).status_code == 303
    with app.app_context():
        person(people["unit"]).active = False
        db.session.commit()
        assert leave.director_ids(person(people["admin"]).hall_id) == {people["general"]}
    assert "已停用" in client.get("/attendance/director").get_data(as_text=True)
