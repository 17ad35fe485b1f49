"""Working time (工作时间): the hall's office hours laid over its working-day calendar."""
from datetime import date, datetime, timedelta

from .. import clock
from ..rulebook import calendar
from ..rulebook import service as rules
from . import registry

# How far ahead to look for the next working moment (a long holiday is under three weeks).
SEARCH_DAYS = 60


def spans(day: date) -> list[tuple[datetime, datetime]]:
    """Return the day's office-hour spans as aware datetimes; none on a non-working day."""
    return list(_spans_in(day, rules.request_hall()))


def _spans_in(day: date, hall_id) -> list[tuple[datetime, datetime]]:
    return registry.shared(_spans, day, hall_id)  # an inbox being gathered reads a day once


def _spans(day: date, _hall_id) -> list[tuple[datetime, datetime]]:
    if not calendar.is_working_day(day):
        return []
    tz = clock.hall_tz()
    return [(datetime.combine(day, a, tzinfo=tz), datetime.combine(day, b, tzinfo=tz))
            for a, b in rules.office_hours(day).values()]


def day_length(day: date) -> timedelta:
    """Return the length of the office hours of a day, as if it were a working day."""
    return registry.shared(_day_length, day, rules.request_hall())


def _day_length(day: date, _hall_id) -> timedelta:
    tz = clock.hall_tz()
    return sum(((datetime.combine(day, b, tzinfo=tz) - datetime.combine(day, a, tzinfo=tz))
                for a, b in rules.office_hours(day).values()), timedelta())


def in_hours(moment: datetime) -> bool:
    """Say whether the hall is open at this moment (a working day, inside office hours)."""
    local = clock.local(moment)
    return any(a <= local < b for a, b in spans(local.date()))


def next_working_moment(moment: datetime) -> datetime:
    """Return the moment itself if the hall is open then, else when it next opens."""
    local = clock.local(moment)
    day = local.date()
    for _ in range(SEARCH_DAYS):
        for a, b in spans(day):
            if local < b:
                return max(a, local)
        day += timedelta(days=1)
    return local


def opening(day: date) -> datetime | None:
    """Return when the hall opens on a day (None on a non-working day)."""
    found = spans(day)
    return found[0][0] if found else None


def closing(day: date) -> datetime | None:
    """Return when the hall closes on a day (None on a non-working day)."""
    found = spans(day)
    return found[-1][1] if found else None


def close_after(day: date, working_days: int = 0) -> datetime:
    """Return the close of the working day that is this many working days after the day (0: itself or next)."""
    return registry.shared(_close_after, day, working_days, rules.request_hall())


def _close_after(day: date, working_days: int, _hall_id) -> datetime:
    d = day if calendar.is_working_day(day) else calendar.next_working_day(day)
    for _ in range(working_days):
        d = calendar.next_working_day(d)
    return closing(d)


def between(start: datetime, end: datetime) -> timedelta:
    """Return the working time from start to end (negative when end is before start)."""
    if end < start:
        return -between(end, start)
    total, day = timedelta(), clock.local(start).date()
    last, hall_id = clock.local(end).date(), rules.request_hall()
    while day <= last:
        for a, b in _spans_in(day, hall_id):
            lo, hi = max(a, start), min(b, end)
            if hi > lo:
                total += hi - lo
        day += timedelta(days=1)
    return total


def describe(left: timedelta, day: date) -> str:
    """Say a working time in Chinese as working days and hours (a working day is the day's office hours)."""
    seconds = abs(int(left.total_seconds()))
    length = int(day_length(day).total_seconds()) or 1
    days, rest = divmod(seconds, length)
    hours, minutes = rest // 3600, rest % 3600 // 60
    parts = ([f"{days} 个工作日"] if days else []) + ([f"{hours} 小时"] if hours else [])
    if not parts:
        parts = [f"{minutes} 分钟"] if minutes else ["不到 1 分钟"]
    return " ".join(parts)


def time_left(deadline: datetime, now: datetime | None = None) -> str:
    """Say how much working time is left before a deadline, or how long it is overdue."""
    now = now or clock.now()
    left = between(now, deadline)
    text = describe(left, clock.local(now).date())
    if deadline <= now:
        return f"已逾期 {text}" if left else "已逾期"
    return f"还剩 {text}" if left else "非工作时间截止"
