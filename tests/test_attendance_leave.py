"""Leave requests (请假): the chain follows the duration, every step is recorded, the monthly cap holds."""
from datetime import date, datetime

import pytest

from portal.attendance import leave
from portal.attendance.leave import LeaveError
from portal.extensions import db
from portal.rulebook import service as rules
from tests.attendance_fixtures import frozen  # noqa: F401
from tests.conftest import sign_in, token
from tests.leave_fixtures import ask, people, person  # noqa: F401

THU, FRI = date(2026, 12, 3), date(2026, 12, 4)


def test_leave_up_to_a_day_is_decided_by_the_general_duty_leader(app, frozen, people, person, ask):
    with app.app_context():
        row = ask(THU, THU)
        assert (row.chain, row.halves, leave.current_step(row)) == ("director", 2, "director")
        assert not leave.may_decide(person(people["unit"]), row)
        assert not leave.may_decide(person(people["clerk"]), row)
        leave.decide(person(people["general"]), row.id, True)
        db.session.commit()
        assert row.state == "approved"
        step = row.steps[0]
        assert (step.step, step.decision, step.by_id) == ("director", "approved", people["general"])
        assert step.at is not None


def test_leave_of_two_days_needs_the_unit_leader_then_the_center_director(app, frozen, people, person, ask):
    with app.app_context():
        row = ask(THU, FRI)
        assert (row.chain, leave.current_step(row)) == ("center", "unit")
        assert not leave.may_decide(person(people["general"]), row)
        with pytest.raises(LeaveError, match="顶岗"):
            leave.decide(person(people["unit"]), row.id, True)
        db.session.rollback()
        leave.decide(person(people["unit"]), row.id, True, substitute_id=people["mate"])
        assert (row.state, leave.current_step(row), row.substitute_id) == ("pending", "center", people["mate"])
        leave.decide(person(people["admin"]), row.id, True)
        db.session.commit()
        assert row.state == "approved"
        assert [s.step for s in row.steps] == ["unit", "center"]


def test_a_refusal_at_the_unit_step_ends_the_request(app, frozen, people, person, ask):
    with app.app_context():
        row = ask(THU, FRI)
        with pytest.raises(LeaveError, match="理由"):
            leave.decide(person(people["unit"]), row.id, False)
        leave.decide(person(people["unit"]), row.id, False, "窗口人手不足")
        db.session.commit()
        assert (row.state, leave.current_step(row)) == ("refused", None)
        with pytest.raises(LeaveError) as e:
            leave.decide(person(people["admin"]), row.id, True)
        assert e.value.status == 409


def test_a_hall_may_name_its_own_duty_director(app, frozen, people, person, ask):
    from portal import clock
    from portal.attendance.leave_models import LeaveDirector
    with app.app_context():
        db.session.add(LeaveDirector(hall_id=person(people["clerk"]).hall_id, user_id=people["admin"],
                                     named_by_id=people["admin"], named_at=clock.now()))
        row = ask(THU, THU, last_half="am")
        assert leave.may_decide(person(people["admin"]), row)
        assert not leave.may_decide(person(people["general"]), row)


def test_at_most_the_rulebooks_leaves_a_person_a_month(app, client, frozen, people, person, ask):
    with app.app_context():
        cap = rules.get("attendance.max_leaves_per_month")
        days = [date(2026, 12, d) for d in (2, 3, 4, 7, 8, 9, 10)][:cap]
        for day in days:
            ask(day, day, last_half="am")
    sign_in(client, "clerk")
    answer = client.post("/attendance/leave/new", data={
        "csrf_token": token(client, "/attendance/leave"), "kind": "sick", "reason": "发烧",
        "first_day": "2026-12-21", "first_half": "am", "last_day": "2026-12-21", "last_half": "pm"})
    assert answer.status_code == 409
    assert f"每人每月最多 {cap} 次" in answer.get_data(as_text=True)


def test_the_clerk_asks_and_the_approver_decides_through_the_pages(app, client, frozen, people):
    sign_in(client, "clerk")
    answer = client.post("/attendance/leave/new", data={
        "csrf_token": token(client, "/attendance/leave"), "kind": "annual", "reason": "探亲",
        "first_day": "2026-12-03", "first_half": "am", "last_day": "2026-12-03", "last_half": "pm"})
    assert answer.status_code == 303
    url = answer.headers["Location"]
    client.post("/logout", data={"csrf_token": token(client)})
    sign_in(client, "general")
    assert "王五" in client.get("/attendance/leave").get_data(as_text=True)
    answer = client.post(f"{url}/decide", data={"csrf_token": token(client, url), "decision": "approve"})
    assert answer.status_code == 303
    assert "已批准" in client.get(url).get_data(as_text=True)


def test_emergency_leave_is_recorded_at_the_desk_with_paperwork_due(app, frozen, people, person):
    with app.app_context():
        row = leave.record_emergency(person(people["general"]), people["clerk"], "sick", "急病送医",
                                     date(2026, 12, 1), "am", date(2026, 12, 1), "pm")
        db.session.commit()
        assert row.state == "approved" and row.paperwork_due == date(2026, 12, 3)
        assert leave.counts(row, date(2026, 12, 3))
        assert not leave.counts(row, date(2026, 12, 4))  # no paperwork after the due day: absence
        leave.file_paperwork(person(people["clerk"]), row.id)
        assert leave.counts(row, date(2026, 12, 31))


def test_coming_back_not_reported_in_time_is_an_overrun(app, frozen, people, person, ask):
    with app.app_context():
        row = ask(THU, THU, last_half="am")
        leave.decide(person(people["general"]), row.id, True)
        due = leave.return_due(row)
        assert due.date() == THU and due.hour >= 14
        assert not leave.is_overrun(row, datetime(2026, 12, 3, 12, 0))
        assert leave.is_overrun(row, datetime(2026, 12, 3, 16, 0))


def test_the_desk_grid_shows_the_window_covered_while_its_a_post_is_on_leave(app, frozen, people, person, ask):
    from portal.duty import desk
    from portal.org.models import Window
    with app.app_context():
        window = db.session.query(Window).filter_by(number=1).one()
        window.a_post_id, window.b_post_id = people["clerk"], people["mate"]
        db.session.commit()
        row = ask(date(2026, 12, 1), date(2026, 12, 1), last_half="am")
        assert desk.live(window.hall_id)["grid"][0].state == "staffed"  # not yet approved
        leave.decide(person(people["general"]), row.id, True)
        db.session.commit()
        cell = desk.live(window.hall_id)["grid"][0]
        assert (cell.state, cell.note) == ("covered", "请假")
