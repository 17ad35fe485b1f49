"""Time left on an inbox item counts the hall's working hours: weekends, holidays and make-up days."""
from datetime import date, datetime

import pytest

from portal import clock
from portal.extensions import db
from portal.inbox import service, worktime
from portal.rulebook.models import CalendarDay

FRIDAY_LATE = datetime(2026, 11, 27, 16, 30)  # an hour before the afternoon closes (17:30)


@pytest.fixture
def at(app):
    with app.app_context():
        yield lambda *args: datetime(*args, tzinfo=clock.hall_tz())


def test_time_left_skips_the_weekend(at):
    assert worktime.time_left(at(2026, 11, 30, 9, 0), at(2026, 11, 27, 16, 30)) == "还剩 2 小时"


def test_time_left_skips_a_holiday(at):
    db.session.add(CalendarDay(day=date(2026, 11, 30), kind="holiday", name="测试假日"))
    db.session.commit()
    assert worktime.time_left(at(2026, 12, 1, 9, 0), at(2026, 11, 27, 16, 30)) == "还剩 2 小时"


def test_time_left_counts_a_make_up_working_sunday(at):
    db.session.add(CalendarDay(day=date(2026, 11, 29), kind="workday", name="调休上班"))
    db.session.commit()
    # Friday's last hour, the whole Sunday (a working day of 7 hours) and Monday's first hour.
    assert worktime.time_left(at(2026, 11, 30, 9, 0), at(2026, 11, 27, 16, 30)) == "还剩 1 个工作日 2 小时"


def test_overdue_time_counts_only_working_hours(at):
    assert worktime.time_left(at(2026, 11, 27, 17, 0), at(2026, 11, 30, 10, 0)) == "已逾期 2 小时"


def test_a_deadline_over_the_lunch_break_is_not_counted_as_working_time(at):
    assert worktime.time_left(at(2026, 11, 25, 15, 0), at(2026, 11, 25, 11, 30)) == "还剩 1 小时"


def test_next_working_moment_of_saturday_night_is_monday_opening(at):
    assert worktime.next_working_moment(at(2026, 11, 28, 22, 0)) == at(2026, 11, 30, 8, 0)


@pytest.mark.parametrize("deadline,group", [((2026, 11, 25, 9, 0), "overdue"), ((2026, 11, 25, 17, 0), "today"),
                                            ((2026, 11, 29, 12, 0), "week"), ((2026, 11, 30, 9, 0), "later")])
def test_items_are_grouped_by_due_date(at, deadline, group):
    assert service.group_of(at(*deadline), at(2026, 11, 25, 10, 0)) == group
