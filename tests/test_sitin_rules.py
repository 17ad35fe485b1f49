"""Sit-in booking rules: deadlines across holidays, the minimum, refusals, desks and the register."""
from datetime import date, datetime, timedelta

import pytest
from werkzeug.exceptions import NotFound

from portal import clock
from portal.auth.models import User
from portal.extensions import db
from portal.roles import Role
from portal.rulebook import calendar
from portal.rulebook import service as rules
from portal.rulebook.models import CalendarDay
from portal.sitin import booking, service
from portal.sitin.models import SitInBooking, SitInVisit
from portal.sitin.register import week_register
from tests.sitin_fixtures import NEXT_MONDAY, NEXT_TUESDAY, add_units, book, frozen, leader, police_leader  # noqa: F401 - pytest fixtures


def _tz(moment):
    return moment.replace(tzinfo=clock.hall_tz())


@pytest.fixture
def golden_week(app):
    """Load 2026's official holidays: Mid-autumn on Fri 25 Sep, National Day 1-7 Oct, Sat 10 Oct worked."""
    with app.app_context():
        calendar.import_year(2026)


def _count(app, **where):
    with app.app_context():
        return db.session.query(SitInBooking).filter_by(**where).count()


def test_next_week_is_due_on_friday_at_five_of_this_week(app, frozen):
    with app.app_context():
        assert booking.deadline_for(NEXT_MONDAY) == _tz(datetime(2026, 11, 27, 17, 0))


def test_deadline_on_a_holiday_moves_back_to_the_last_working_day(app, golden_week):
    with app.app_context():
        # Friday 25 Sep is Mid-autumn: the week of 28 Sep is due on Thursday 24 Sep.
        assert booking.deadline_for(date(2026, 9, 28)) == _tz(datetime(2026, 9, 24, 17, 0))
        # Friday 2 Oct is National Day: the week of 5 Oct was due before the holiday, on Wed 30 Sep.
        assert booking.deadline_for(date(2026, 10, 5)) == _tz(datetime(2026, 9, 30, 17, 0))


def test_booking_on_a_holiday_friday_is_filed_late_but_accepted(app, golden_week, leader, book):
    clock.freeze(datetime(2026, 9, 25, 9, 0))  # the Mid-autumn holiday, after Thursday's deadline
    book(leader, date(2026, 9, 29), "am")
    with app.app_context():
        assert db.session.query(SitInBooking).one().filed_late is True


def test_booking_before_the_holiday_deadline_is_on_time(app, golden_week, leader, book):
    clock.freeze(datetime(2026, 9, 24, 16, 59))
    book(leader, date(2026, 9, 29), "am")
    with app.app_context():
        assert db.session.query(SitInBooking).one().filed_late is False


def test_make_up_saturday_can_be_booked_and_a_holiday_cannot(app, golden_week, leader, book):
    clock.freeze(datetime(2026, 9, 28, 9, 0))
    book(leader, date(2026, 10, 10), "pm")  # 调休上班
    with pytest.raises(booking.SitInError, match="不是工作日"):
        book(leader, date(2026, 10, 6), "am")  # National Day
    assert _count(app) == 1


def test_a_week_without_working_days_requires_no_sit_in(app, frozen, hall):
    with app.app_context():
        for i in range(5):
            db.session.add(CalendarDay(day=NEXT_MONDAY + timedelta(days=i), kind="closure", name="闭厅"))
        db.session.commit()
        assert booking.required_days(NEXT_MONDAY) == 0
        assert all(c.compliant for c in week_register(hall["hall"], NEXT_MONDAY))


@pytest.mark.parametrize("day, half, message", [
    (date(2026, 11, 24), "am", "已经过去"),
    (date(2026, 11, 28), "am", "不是工作日"),
    (NEXT_TUESDAY, "night", "没有这个时段"),
    (date(2027, 3, 2), "am", "周以内"),
])
def test_impossible_slots_are_refused_and_nothing_is_stored(app, frozen, leader, book, day, half, message):
    with pytest.raises(booking.SitInError, match=message):
        book(leader, day, half)
    assert _count(app) == 0


def test_leader_cannot_book_for_another_department(app, frozen, hall, leader, book):
    with pytest.raises(booking.SitInError) as refused:
        book(leader, NEXT_TUESDAY, "am", department_id=hall["police"])
    assert refused.value.status == 403
    assert _count(app) == 0


def test_admin_books_for_any_department_with_its_leader_named(app, frozen, hall, make_user,
                                                              police_leader, book):
    admin = make_user("admin", Role.ADMIN, department="office")
    book(admin, NEXT_TUESDAY, "am", department_id=hall["police"])
    with app.app_context():
        row = db.session.query(SitInBooking).one()
        assert (row.department_id, row.leader_id, row.booked_by_id) == (hall["police"], police_leader, admin)


def test_the_same_half_day_is_booked_once_per_department(app, frozen, leader, book):
    book(leader, NEXT_TUESDAY, "am")
    with pytest.raises(booking.SitInError, match="已经预约过了") as again:
        book(leader, NEXT_TUESDAY, "am")
    assert again.value.status == 409
    assert _count(app) == 1


def test_a_full_day_takes_a_desk_in_both_halves_and_is_refused_when_one_is_full(app, frozen, add_units, leader, book):
    with app.app_context():
        desks = rules.get("sitin.desks_per_half_day")
    for uid in add_units(desks):
        book(uid, NEXT_TUESDAY, "pm")
    with pytest.raises(booking.SitInError, match="席位已满"):
        book(leader, NEXT_TUESDAY, "day")
    assert _count(app, half="am") == 0
    book(leader, date(2026, 12, 2), "day")
    with app.app_context():
        rows = db.session.query(SitInBooking).filter_by(day=date(2026, 12, 2)).all()
        assert sorted(r.half for r in rows) == ["am", "pm"] and all(r.full_day for r in rows)


def test_reducing_desks_never_lets_a_half_day_hold_more_bookings(app, frozen, add_units, leader, book):
    first = add_units(3, "早")
    for uid in first:
        book(uid, NEXT_TUESDAY, "am")
    _set(app, "sitin.desks_per_half_day", "2")
    with pytest.raises(booking.SitInError, match="席位已满"):
        book(leader, NEXT_TUESDAY, "am")
    assert _count(app, half="am") == 3


def test_bulletin_pdf_bytes_name_the_noncompliant_units(app, frozen, hall, leader, book):
    from portal.org.models import Hall
    book(leader, NEXT_TUESDAY, "day")
    with app.test_request_context():
        from portal.sitin.register import bulletin_pdf
        data = bulletin_pdf(db.session.get(Hall, hall["hall"]), NEXT_TUESDAY)
    assert data.startswith(b"%PDF")


def test_cancelling_after_the_deadline_needs_a_reason_and_keeps_the_record(app, frozen, leader, book):
    ids = book(leader, NEXT_TUESDAY, "day")
    clock.freeze(datetime(2026, 11, 28, 9, 0))  # past Friday 17:00
    with app.app_context():
        user, row = db.session.get(User, leader), db.session.get(SitInBooking, ids[0])
        with pytest.raises(booking.SitInError, match="须填写原因"):
            booking.cancel(user, row, "")
        booking.cancel(user, row, "临时参加市里会议")
        rows = db.session.query(SitInBooking).all()
        assert len(rows) == 2  # never deleted: both halves kept, cancelled
        assert all(r.state == "cancelled" and r.cancelled_late and r.cancel_reason == "临时参加市里会议"
                   and r.cancelled_by_id == leader for r in rows)


def test_leader_cannot_cancel_another_departments_booking(app, frozen, leader, police_leader, book):
    ids = book(police_leader, NEXT_TUESDAY, "am")
    with app.test_request_context("/sitin/week"):
        with pytest.raises(NotFound):
            booking.booking_for(db.session.get(User, leader), ids[0])


def _visit(app, hall, dept_key, day, attendance="arrived", note_at=None):
    with app.app_context():
        checker = db.session.query(User).first()
        moment = _tz(datetime.combine(day, datetime.min.time()).replace(hour=9))
        v = SitInVisit(hall_id=hall["hall"], department_id=hall[dept_key], day=day, attendance=attendance,
                       arrived_at=moment if attendance == "arrived" else None, checked_by_id=checker.id,
                       checked_at=moment, looked_at="窗口排队" if note_at else "", solved="加开窗口" if note_at else "",
                       noted_at=_tz(note_at) if note_at else None)
        db.session.add(v)
        db.session.commit()


def _register(app, hall, monday):
    with app.app_context():
        return {c.department.name: c for c in week_register(hall["hall"], monday)}


def _set(app, key, value):
    with app.app_context():
        admin = db.session.query(User).first()
        assert rules.change(key, value, admin) is None


def test_minimum_rule_a_half_day_counts_as_a_sit_in_day_by_default(app, frozen, hall, leader, book):
    book(leader, NEXT_TUESDAY, "am")
    week = _register(app, hall, NEXT_MONDAY)
    assert week["税务局"].booked == 1 and week["税务局"].compliant
    _set(app, "sitin.min_days_per_week", "2")
    assert "少于规定的 2 天" in _register(app, hall, NEXT_MONDAY)["税务局"].issues[0]


def test_minimum_rule_half_a_day_is_not_enough_when_it_counts_half(app, frozen, hall, leader, police_leader, book):
    _set(app, "sitin.half_day_counts_as", "0.5")
    book(leader, NEXT_TUESDAY, "am")
    book(police_leader, NEXT_TUESDAY, "day")
    week = _register(app, hall, NEXT_MONDAY)
    assert week["税务局"].booked == 0.5 and "少于规定的 1 天" in week["税务局"].issues[0]
    assert week["公安局户政"].booked == 1 and week["公安局户政"].compliant


def test_register_lists_not_filed_no_show_and_missing_note(app, frozen, hall, leader, police_leader, book, add_units):
    book(leader, NEXT_MONDAY, "day")
    book(police_leader, NEXT_TUESDAY, "day")
    add_units(1, "未报备局")
    _visit(app, hall, "tax", NEXT_MONDAY, "arrived", note_at=datetime(2026, 11, 30, 16, 0))
    clock.freeze(datetime(2026, 12, 7, 9, 0))  # the week is over; police never came
    week = _register(app, hall, NEXT_MONDAY)
    assert week["税务局"].compliant and week["税务局"].filing == "on_time"
    assert week["税务局"].attended == 1 and week["税务局"].notes == 1
    assert any("未到岗" in i for i in week["公安局户政"].issues)
    assert week["未报备局00"].issues == ["未报备"]


def test_a_note_written_after_the_day_leaves_the_sit_in_incomplete(app, frozen, hall, leader, book):
    book(leader, NEXT_MONDAY, "day")
    _visit(app, hall, "tax", NEXT_MONDAY, "arrived", note_at=datetime(2026, 12, 1, 9, 0))
    clock.freeze(datetime(2026, 12, 7, 9, 0))
    assert any("未填写坐班记录" in i for i in _register(app, hall, NEXT_MONDAY)["税务局"].issues)


def test_noncompliant_departments_carry_the_rulebook_points(app, frozen, hall, make_user, leader, book):
    admin = make_user("admin", Role.ADMIN, department="office")
    book(leader, NEXT_TUESDAY, "day")
    with app.app_context():
        assert rules.change("sitin.noncompliance_points", "2", db.session.get(User, admin)) is None
        bad = service.noncompliant_departments(NEXT_MONDAY, hall["hall"])
        assert [(c.department.name, c.points) for c in bad] == [("公安局户政", 2)]


def test_expected_on_folds_halves_into_one_sit_in_per_department(app, frozen, hall, leader, police_leader, book):
    book(leader, NEXT_TUESDAY, "am")
    book(leader, NEXT_TUESDAY, "pm")
    book(police_leader, NEXT_TUESDAY, "pm")
    with app.app_context():
        got = {(e.department, e.leader, e.half, e.state) for e in service.expected_on(NEXT_TUESDAY, hall["hall"])}
    assert got == {("税务局", "王局长", "day", "expected"), ("公安局户政", "李所长", "pm", "expected")}
