"""Complaints (投诉): registration by the first-asked owner, hand-offs, working-day deadlines."""
from datetime import date, datetime

import pytest

from portal.complaints import deadlines, handling, service
from portal.complaints.service import ComplaintError
from portal.extensions import db
from portal.org.models import Department, Hall
from tests.complaints_fixtures import THURSDAY, at, day, new_case, people, person  # noqa: F401


def close(d: date):
    return deadlines.close_of(d, 0)


def test_first_receiver_owns_the_case_and_the_clock_starts_at_first_contact(app, people, new_case):
    with app.app_context():
        case = new_case()
        assert case.first_owner_id == people["duty"] and case.state == "received"
        assert case.received_at == deadlines.close_of(date(2026, 12, 3), 0).replace(hour=10, minute=0)
        assert case.number.startswith("20261203") and len(case.query_code) == 6
        assert [o.owner for o in deadlines.owners(case)] == ["首问责任人 值班长甲"]


def test_complaint_reply_is_due_in_thirteen_working_days(app, people, new_case):
    with app.app_context():
        case = new_case("complaint")
        assert deadlines.of(case).reply_by == close(date(2026, 12, 22))


def test_urgent_case_is_due_the_same_day(app, people, new_case):
    with app.app_context():
        assert deadlines.of(new_case("urgent")).reply_by == close(date(2026, 12, 3))


def test_enquiry_clock_skips_the_weekend(app, people, new_case):
    with app.app_context():
        assert deadlines.of(new_case("enquiry")).reply_by == close(date(2026, 12, 8))


def test_enquiry_clock_skips_a_holiday(app, people, new_case):
    with app.app_context():
        day(date(2026, 12, 7), "holiday")
        assert deadlines.of(new_case("enquiry")).reply_by == close(date(2026, 12, 9))


def test_enquiry_clock_counts_a_make_up_working_saturday(app, people, new_case):
    with app.app_context():
        day(date(2026, 12, 7), "holiday")
        day(date(2026, 12, 5), "workday")
        assert deadlines.of(new_case("enquiry")).reply_by == close(date(2026, 12, 8))


def test_a_pause_for_material_stops_the_clock_and_is_recorded(app, people, hall, new_case):
    with app.app_context():
        day(date(2026, 12, 5), "workday")
        case = new_case("enquiry")
        leader = person(people["leader"])
        service.send(person(people["duty"]), case, hall["tax"])
        service.accept(leader, case)
        at(datetime(2026, 12, 4, 9, 0))
        handling.pause(leader, case, "请补充办件回执")
        assert deadlines.of(case).reply_by is None and case.state == "paused"
        at(datetime(2026, 12, 8, 9, 0))
        handling.resume(leader, case)
        dl = deadlines.of(case)
        assert dl.paused_days == 3  # the make-up Saturday, Monday and Tuesday
        assert dl.reply_by == close(date(2026, 12, 10))
        assert [s.step for s in case.steps][-2:] == ["paused", "resumed"]


def test_return_and_resend_keep_the_original_start(app, people, hall, new_case):
    with app.app_context():
        case = new_case("enquiry")
        due = deadlines.of(case).reply_by
        police = person(people["police"])
        service.send(person(people["duty"]), case, hall["police"])
        at(datetime(2026, 12, 4, 9, 0))
        service.give_back(police, case, "《户政窗口职责》第三条", "不属于户籍业务")
        assert case.state == "received" and case.unit_id is None
        service.send(person(people["duty"]), case, hall["tax"])
        service.accept(person(people["leader"]), case)
        assert deadlines.of(case).reply_by == due
        assert service.returns_by_unit(case.hall_id) == {hall["police"]: 1}
        owners = deadlines.owners(case)
        assert [o.owner for o in owners] == ["首问责任人 值班长甲", "承办单位 税务局"]
        assert owners[0].end == owners[1].start


def test_a_return_must_cite_the_units_rule(app, people, hall, new_case):
    with app.app_context():
        case = new_case()
        service.send(person(people["duty"]), case, hall["tax"])
        with pytest.raises(ComplaintError, match="职责依据"):
            service.give_back(person(people["leader"]), case, "", "不归我们管")


def test_only_the_units_leader_accepts(app, people, hall, new_case):
    with app.app_context():
        case = new_case()
        service.send(person(people["duty"]), case, hall["tax"])
        with pytest.raises(ComplaintError):
            service.accept(person(people["police"]), case)
        row = service.accept(person(people["leader"]), case)
        assert row.by_id == people["leader"] and row.at is not None


def test_a_hand_off_to_a_unit_of_another_hall_is_refused(app, people, new_case):
    with app.app_context():
        other = Hall(name="另一大厅", level="county")
        db.session.add(other)
        db.session.flush()
        unit = Department(hall_id=other.id, name="外厅单位", kind="window_unit")
        db.session.add(unit)
        db.session.flush()
        case = new_case()
        with pytest.raises(ComplaintError, match="本大厅"):
            service.send(person(people["duty"]), case, unit.id)
        assert case.state == "received" and case.unit_id is None


def test_every_deadline_of_a_case_is_shown(app, people, hall, new_case):
    with app.app_context():
        case = new_case("enquiry")
        service.send(person(people["duty"]), case, hall["tax"])
        dl = deadlines.of(case)
        assert dl.accept_by == close(date(2026, 12, 3)) and dl.reply_by == close(date(2026, 12, 8))
        assert dl.callback_by is None


def test_a_cases_history_is_never_edited(app, people, new_case):
    with app.app_context():
        case = new_case()
        db.session.flush()
        case.steps[0].note = "改写"
        with pytest.raises(RuntimeError, match="never edited"):
            db.session.flush()
