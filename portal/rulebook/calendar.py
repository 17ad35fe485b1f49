"""The working-day calendar (工作日历): weekdays, China's holidays and 调休, and the hall's own days."""
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, timedelta

import chinese_calendar
from flask import g, has_request_context
from sqlalchemy import event, select

from .. import clock
from ..extensions import db
from .models import CalendarDay, CalendarYear

HOLIDAY_NAMES = {
    "New Year's Day": "元旦", "Spring Festival": "春节", "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节", "Dragon Boat Festival": "端午节", "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节", "Anti-Fascist 70th Day": "抗战胜利纪念日",
}


_BATCH: ContextVar[dict | None] = ContextVar("calendar_batch_years", default=None)


@contextmanager
def batch():
    """Read each year's exceptional days once inside the block (a batch job outside a request asks many days)."""
    token = _BATCH.set({})
    try:
        yield
    finally:
        _BATCH.reset(token)


def _year_rows(year: int) -> dict[date, CalendarDay]:
    """One year's exceptional days, read once per request or batch (a page asks about many days)."""
    cache = g.setdefault("calendar_years", {}) if has_request_context() else _BATCH.get()
    cache = {} if cache is None else cache
    if year not in cache:
        rows = db.session.execute(select(CalendarDay).where(
            CalendarDay.day >= date(year, 1, 1), CalendarDay.day <= date(year, 12, 31))).scalars()
        cache[year] = {r.day: r for r in rows}
    return cache[year]


def _forget_cached_years() -> None:
    if has_request_context():
        g.pop("calendar_years", None)
    if _BATCH.get() is not None:
        _BATCH.get().clear()


@event.listens_for(db.session, "after_flush")
def _after_flush(session, _context) -> None:
    """A flushed change to the calendar makes the request's cached years stale."""
    if any(isinstance(o, CalendarDay) for o in (*session.new, *session.dirty, *session.deleted)):
        _forget_cached_years()


@event.listens_for(db.session, "after_soft_rollback")
def _after_rollback(_session, _previous) -> None:
    """A rolled-back change may have been cached: read the calendar afresh."""
    _forget_cached_years()


def _exceptions(start: date, end: date) -> dict[date, CalendarDay]:
    if any(isinstance(o, CalendarDay) for o in db.session.new):
        db.session.flush()
    out = {}
    for year in range(start.year, end.year + 1):
        out.update({d: r for d, r in _year_rows(year).items() if start <= d <= end})
    return out


def is_working_day(day: date) -> bool:
    """Say whether the hall is open on this day."""
    return working_days(day, day) == [day]


def working_days(start: date, end: date) -> list[date]:
    """Return the hall's working days from start to end, inclusive."""
    exceptions = _exceptions(start, end)
    days, d = [], start
    while d <= end:
        row = exceptions.get(d)
        if (row.kind in CalendarDay.WORKING_KINDS) if row else d.weekday() < 5:
            days.append(d)
        d += timedelta(days=1)
    return days


def describe(start: date, end: date) -> dict[date, CalendarDay]:
    """Return the exceptional days in a range, for calendars that show their names."""
    return _exceptions(start, end)


def next_working_day(day: date, step: int = 1) -> date:
    """Return the nearest working day after (or before, with step=-1) this day."""
    d = day + timedelta(days=step)
    for _ in range(60):
        if is_working_day(d):
            return d
        d += timedelta(days=step)
    return d


def add_working_days(day: date, count: int) -> date:
    """Return the working day `count` working days after the day (0: the day itself, or the next working day)."""
    if count <= 0 and is_working_day(day):
        return day
    wanted, span = max(count, 1), max(count, 1) * 2 + 21
    while True:
        days = working_days(day + timedelta(days=1), day + timedelta(days=span))
        if len(days) >= wanted:
            return days[wanted - 1]
        span *= 2


def working_days_between(after: date, through: date) -> int:
    """Count the working days after one day, up to and including another (0 when through <= after)."""
    return len(working_days(after + timedelta(days=1), through)) if through > after else 0


def package_years() -> range:
    """Return the years the installed chinese-calendar package knows."""
    years = sorted({d.year for d in chinese_calendar.holidays})
    return range(years[0], years[-1] + 1)


def import_year(year: int) -> int:
    """Copy one year's holidays and make-up days from chinese-calendar; return the days added."""
    if year not in package_years():
        raise ValueError(f"内置数据尚无 {year} 年的节假日安排，请手工录入")
    existing = {r.day for r in db.session.execute(
        select(CalendarDay).where(CalendarDay.day >= date(year, 1, 1),
                                  CalendarDay.day <= date(year, 12, 31))).scalars()}
    added, d = 0, date(year, 1, 1)
    while d.year == year:
        on_holiday, name = chinese_calendar.get_holiday_detail(d)
        kind = None
        if on_holiday and d.weekday() < 5:
            kind = "holiday"
        elif not on_holiday and d.weekday() >= 5:
            kind = "workday"
        if kind and d not in existing:
            holiday = HOLIDAY_NAMES.get(name, name or "")
            label = holiday if kind == "holiday" else f"{holiday}调休"
            db.session.add(CalendarDay(day=d, kind=kind, name=label, source="chinese-calendar"))
            added += 1
        d += timedelta(days=1)
    if db.session.get(CalendarYear, year) is None:
        db.session.add(CalendarYear(year=year, source="chinese-calendar", entered_at=clock.now()))
    db.session.commit()
    return added


def mark_year_entered(year: int, source: str = "admin") -> None:
    """Record that an admin has entered a year's official schedule by hand."""
    if db.session.get(CalendarYear, year) is None:
        db.session.add(CalendarYear(year=year, source=source, entered_at=clock.now()))
        db.session.commit()


def missing_years() -> list[int]:
    """Return this year and next year when their official schedule has not been entered."""
    this = clock.today().year
    wanted = [this, this + 1]
    have = set(db.session.execute(select(CalendarYear.year).where(CalendarYear.year.in_(wanted))).scalars())
    return [y for y in wanted if y not in have]
