"""The day's result per person and half day: late, early leave, absence, off days, summer hours, make-up days."""
from datetime import date, datetime

import pytest

from portal.attendance.days import day_result
from portal.extensions import db
from portal.rulebook import service as rules
from portal.rulebook.models import CalendarDay

MONDAY = date(2026, 11, 2)
LATER = datetime(2026, 12, 1, 9, 0)


def at(day, hhmm):
    h, m = hhmm.split(":")
    return datetime(day.year, day.month, day.day, int(h), int(m))


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield


def _day(punches, day=MONDAY, per_day=4, working=True, now=LATER):
    return day_result(day, [at(day, p) for p in punches], working, now, per_day)


def test_a_full_day_with_four_punches_is_present_twice(ctx):
    r = _day(["07:58", "12:01", "14:25", "17:31"])
    assert (r["am"].status, r["pm"].status) == ("present", "present")
    assert r["am"].late == r["am"].early == r["pm"].late == r["pm"].early == 0


def test_signing_in_after_half_past_eight_is_late_counted_from_eight(ctx):
    assert _day(["08:30", "12:00", "14:30", "17:30"])["am"].late == 0
    r = _day(["08:41", "12:00", "14:30", "17:30"])
    assert r["am"].late == 41 and r["am"].label == "迟到 41 分钟" and r["am"].mark == "迟"


def test_signing_in_after_the_afternoon_start_is_late(ctx):
    assert _day(["08:00", "12:00", "14:32", "17:30"])["pm"].late == 2


def test_leaving_fifteen_minutes_early_is_early_leave_and_fourteen_is_not(ctx):
    assert _day(["08:00", "12:00", "14:30", "17:16"])["pm"].early == 0
    assert _day(["08:00", "12:00", "14:30", "17:15"])["pm"].early == 15


def test_no_punch_in_the_afternoon_is_a_half_day_absence(ctx):
    r = _day(["08:00", "12:00"])
    assert (r["am"].status, r["pm"].status) == ("present", "absent")


def test_a_single_punch_in_a_half_day_is_a_missed_punch(ctx):
    r = _day(["08:00", "14:29", "17:30"])
    assert r["am"].status == "missed" and r["am"].punch_in == at(MONDAY, "08:00")


def test_a_day_not_yet_over_is_not_judged_as_absent(ctx):
    r = _day([], now=at(MONDAY, "10:00"))
    assert r["am"].status == "pending" and r["pm"].status == "pending"


def test_summer_hours_move_the_afternoon(ctx):
    june = date(2026, 6, 1)
    r = _day(["08:00", "12:00", "14:55", "17:50"], day=june)
    assert r["pm"].late == 0 and r["pm"].early == 0, "summer: 15:00-18:00, 17:50 is 10 minutes early"
    assert _day(["08:00", "12:00", "15:01", "17:45"], day=june)["pm"].early == 15


def test_the_late_threshold_follows_the_rulebook(app, ctx, make_user):
    from portal.auth.models import User
    admin = db.session.get(User, make_user("rb", "admin"))
    assert rules.change("attendance.late_after_minutes", "5", admin) is None
    assert _day(["08:06", "12:00", "14:30", "17:30"])["am"].late == 6


def test_a_two_punch_hall_judges_the_morning_by_the_sign_in_and_the_afternoon_by_the_sign_out(ctx):
    r = _day(["08:45", "17:30"], per_day=2)
    assert (r["am"].status, r["am"].late, r["pm"].status, r["pm"].early) == ("present", 45, "present", 0)
    only_in = _day(["07:55"], per_day=2)
    assert (only_in["am"].status, only_in["pm"].status) == ("present", "missed")


def test_a_rest_day_is_off_whatever_the_punches(ctx):
    r = _day(["09:00"], day=date(2026, 11, 7), working=False)
    assert r["am"].status == r["pm"].status == "off" and r["am"].mark == "休"


def test_a_make_up_saturday_counts_as_a_working_day_in_the_month(app, ctx, hall, make_user):
    from portal import clock
    from portal.attendance.sheet import month_sheet
    from portal.auth.models import User
    saturday = date(2026, 11, 7)
    db.session.add(CalendarDay(day=saturday, kind="workday", name="调休上班"))
    db.session.add(CalendarDay(day=date(2026, 11, 4), kind="holiday", name="测试假日"))
    db.session.commit()
    clock.freeze(LATER)
    from portal.attendance.models import DeviceUser
    person = db.session.get(User, make_user("zhang", "staff"))
    db.session.add(DeviceUser(hall_id=hall["hall"], source="zkteco", device_user_id="1", user_id=person.id,
                              mapped_at=clock.now()))
    db.session.commit()
    row = month_sheet(hall["hall"], 2026, 11, [person])[0]
    assert row.days[saturday]["am"].status == "absent", "a make-up working day without punches is absence"
    assert row.days[date(2026, 11, 4)]["am"].status == "off"
    assert row.days[date(2026, 11, 8)]["am"].status == "off"
