"""Case deadlines on the hall's working-day calendar: weekends, holidays, make-up days, pauses, states."""
from datetime import date

import pytest

from portal.cases import deadlines
from portal.extensions import db
from portal.rulebook import calendar
from portal.rulebook.models import CalendarDay

FRIDAY = date(2026, 12, 4)


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield


def _day(day, kind):
    db.session.add(CalendarDay(day=day, kind=kind, name="测试"))
    db.session.commit()


def test_promised_days_are_counted_after_acceptance_across_the_weekend(ctx):
    d = deadlines.deadline(FRIDAY, 3, None, FRIDAY)
    assert d.due == date(2026, 12, 9)  # Mon 7, Tue 8, Wed 9


def test_a_holiday_moves_the_due_day_on(ctx):
    _day(date(2026, 12, 8), "holiday")
    assert deadlines.deadline(FRIDAY, 3, None, FRIDAY).due == date(2026, 12, 10)


def test_a_make_up_saturday_counts_as_a_working_day(ctx):
    _day(date(2026, 12, 5), "workday")
    _day(date(2026, 12, 8), "holiday")
    assert deadlines.deadline(FRIDAY, 3, None, FRIDAY).due == date(2026, 12, 9)  # Sat 5, Mon 7, Wed 9


def test_days_waiting_for_the_applicant_are_paused(ctx):
    d = deadlines.deadline(FRIDAY, 3, None, date(2026, 12, 7), pause_from=date(2026, 12, 7),
                           pause_to=date(2026, 12, 8))
    assert d.state == deadlines.PAUSED and d.paused_days == 2
    assert d.due == date(2026, 12, 11)
    later = deadlines.deadline(FRIDAY, 3, None, date(2026, 12, 9), pause_from=date(2026, 12, 7),
                               pause_to=date(2026, 12, 8))
    assert later.state == deadlines.DUE_SOON and later.left_days == 2


def test_states_run_from_on_time_to_due_soon_due_today_and_overdue_by_working_days(ctx):
    states = {day: deadlines.deadline(date(2026, 11, 30), 8, None, day) for day in
              (date(2026, 12, 1), date(2026, 12, 8), date(2026, 12, 10), date(2026, 12, 14))}
    assert [d.state for d in states.values()] == [deadlines.ON_TIME, deadlines.DUE_SOON, deadlines.DUE_TODAY,
                                                  deadlines.OVERDUE]
    assert states[date(2026, 12, 14)].late_days == 2  # Fri 11, Mon 14: the weekend does not count
    assert "超期 2 个工作日" in states[date(2026, 12, 14)].describe


def test_a_case_finished_after_its_due_day_was_finished_late(ctx):
    d = deadlines.deadline(FRIDAY, 1, date(2026, 12, 9), date(2026, 12, 11))
    assert d.state == deadlines.DONE_LATE and d.late_days == 2 and d.used_days == 3


def test_add_working_days_starts_from_the_next_working_day(ctx):
    assert calendar.add_working_days(date(2026, 12, 5), 0) == date(2026, 12, 7)
    assert calendar.add_working_days(date(2026, 12, 4), 0) == FRIDAY
    assert calendar.add_working_days(date(2026, 12, 4), 1) == date(2026, 12, 7)
    assert calendar.add_working_days(date(2026, 12, 4), 30) == date(2027, 1, 15)
