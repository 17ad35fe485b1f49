"""Sit-in check-in at the duty desk: who may record it, when it counts as late, refusals audited."""
import json
from datetime import datetime

from sqlalchemy import select

from portal import clock
from portal.audit.models import AuditEvent
from portal.extensions import db
from portal.roles import Role
from portal.sitin.models import SitInBooking, SitInVisit
from tests.conftest import sign_in, token
from tests.sitin_fixtures import (  # noqa: F401 - pytest fixtures
    NEXT_TUESDAY,
    book,
    frozen,
    leader,
    on_duty,
    police_leader,
)

HX = {"HX-Request": "true"}
TUESDAY_MORNING = datetime(2026, 12, 1, 9, 0)


def _post(client, url, **data):
    return client.post(url, data={"csrf_token": token(client, "/sitin/week"), **data}, headers=HX)


def _visits(app):
    with app.app_context():
        return db.session.execute(select(SitInVisit)).scalars().all()


def _denied(app):
    with app.app_context():
        return db.session.execute(select(AuditEvent).where(AuditEvent.event == "access.denied")).scalars().all()


def test_off_duty_duty_leader_cannot_record_a_sit_in_check_in(app, client, frozen, leader, book, make_user, on_duty):
    ids = book(leader, NEXT_TUESDAY, "am")
    on_duty(make_user("zhiban", Role.DUTY_LEADER, department="office"), NEXT_TUESDAY)
    make_user("zhiban2", Role.DUTY_LEADER, department="office")
    frozen(TUESDAY_MORNING)
    sign_in(client, "zhiban2")
    panel = client.get("/sitin/today", headers=HX).get_data(as_text=True)
    assert "仅供查看" in panel and "/arrived" not in panel
    r = _post(client, f"/sitin/today/{ids[0]}/arrived")
    assert r.status_code == 422 and "今天不是您值班" in r.get_data(as_text=True) and _visits(app) == []


def test_desk_holder_general_duty_leader_and_admin_record_check_ins(app, client, frozen, leader, police_leader,
                                                                     book, make_user, on_duty):
    tax, police = book(leader, NEXT_TUESDAY, "am")[0], book(police_leader, NEXT_TUESDAY, "am")[0]
    on_duty(make_user("zhiban", Role.DUTY_LEADER, department="office"), NEXT_TUESDAY)
    make_user("zong", Role.GENERAL_DUTY, department="office")
    frozen(TUESDAY_MORNING)
    sign_in(client, "zhiban")
    assert _post(client, f"/sitin/today/{tax}/arrived").status_code == 200
    general = app.test_client()
    sign_in(general, "zong")
    assert _post(general, f"/sitin/today/{police}/absent").status_code == 200
    assert sorted(v.attendance for v in _visits(app)) == ["absent", "arrived"]


def test_check_in_after_the_booked_half_day_ended_is_marked_late(app, client, frozen, leader, police_leader, book,
                                                                make_user, on_duty):
    morning, full_day = book(leader, NEXT_TUESDAY, "am")[0], book(police_leader, NEXT_TUESDAY, "day")[0]
    on_duty(make_user("zhiban", Role.DUTY_LEADER, department="office"), NEXT_TUESDAY)
    frozen(datetime(2026, 12, 1, 14, 40))  # the morning has ended; the afternoon has not
    sign_in(client, "zhiban")
    late = _post(client, f"/sitin/today/{morning}/arrived")
    assert late.status_code == 200 and "flash-warn" in late.get_data(as_text=True)
    assert "补登" in late.get_data(as_text=True)
    assert _post(client, f"/sitin/today/{full_day}/arrived").status_code == 200
    with app.app_context():
        by_dept = {v.department.name: v.checked_late for v in db.session.query(SitInVisit)}
    assert by_dept == {"税务局": True, "公安局户政": False}


def test_cancelling_another_departments_booking_is_refused_and_audited(app, client, frozen, leader, police_leader,
                                                                      book):
    ids = book(police_leader, NEXT_TUESDAY, "am")
    sign_in(client, "lingdao")
    assert _post(client, f"/sitin/bookings/{ids[0]}/cancel", reason="x").status_code == 404
    assert [json.loads(e.detail)["why"] for e in _denied(app)] == ["other department"]
    with app.app_context():
        assert db.session.get(SitInBooking, ids[0]).state == "active"


def test_writing_the_note_of_another_departments_sit_in_is_audited(app, client, frozen, leader, hall):
    with app.app_context():
        visit = SitInVisit(hall_id=hall["hall"], department_id=hall["police"], day=clock.today(),
                           attendance="arrived", arrived_at=clock.now(), checked_by_id=leader, checked_at=clock.now())
        db.session.add(visit)
        db.session.commit()
        visit_id = visit.id
    sign_in(client, "lingdao")
    assert client.get(f"/sitin/visits/{visit_id}/note").status_code == 404
    assert len(_denied(app)) == 1


def test_booking_after_the_deadline_is_confirmed_as_a_warning_not_a_success(app, client, frozen, leader):
    frozen(datetime(2026, 11, 27, 18, 0))  # an hour after next week's deadline
    sign_in(client, "lingdao")
    r = _post(client, "/sitin/book", day=NEXT_TUESDAY.isoformat(), half="am")
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and "报备逾期" in html
    assert 'class="flash flash-warn" role="status"' in html and "flash-ok" not in html
