"""The working-day calendar (工作日历): weekdays, China's holidays and 调休, and each hall's own days.

One calendar per install, kept by the county: the State Council's holidays and make-up days, and the
county's own closures and extra days. A station (or village room) may add days of its own on top, only
closures and extra opening days (陕西省实体政务大厅管理暂行办法 第二十一条: 预约、延时、周末和节假日服务);
its rooms follow its days. Every function reads the request's hall unless given one (or inside batch(hall)).
"""
from contextlib import contextmanager, nullcontext
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, timedelta
from time import monotonic

import chinese_calendar
from flask import current_app, g, has_app_context, has_request_context
from sqlalchemy import Integer, bindparam, event, literal, select, union_all

from .. import clock
from ..database import write_intended
from ..extensions import db
from . import service as rules
from .models import CalendarDay, CalendarYear, HallCalendarDay

HOLIDAY_NAMES = {
    "New Year's Day": "元旦", "Spring Festival": "春节", "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节", "Dragon Boat Festival": "端午节", "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节", "Anti-Fascist 70th Day": "抗战胜利纪念日",
}


_BATCH: ContextVar[dict | None] = ContextVar("calendar_batch_years", default=None)


@dataclass(frozen=True)
class Special:
    """A day that breaks the weekday rule for a hall: the county's (hall_id None) or a station's own."""

    day: date
    kind: str
    name: str
    hall_id: int | None = None


@contextmanager
def batch(hall_id: int | None = None):
    """Read each year's exceptional days once inside the block (a batch job outside a request asks many days).

    With a hall, the block reads that hall's calendar (its own days over the county's) and its rulebook.
    """
    token = _BATCH.set({})
    try:
        with rules.in_hall(hall_id) if hall_id is not None else nullcontext():
            yield
    finally:
        _BATCH.reset(token)


def _year_statements() -> dict[bool, object]:
    """The year's exceptional days, the county's alone or with the halls' own: built once, with parameters."""
    county, own = CalendarDay.__table__.c, HallCalendarDay.__table__.c
    first, last = bindparam("first"), bindparam("last")
    query = select(county.day, county.kind, county.name, literal(None, Integer)).where(
        county.day >= first, county.day <= last)
    halls = select(own.day, own.kind, own.name, own.hall_id).where(
        own.hall_id.in_(bindparam("halls", expanding=True)), own.day >= first, own.day <= last)
    return {False: query, True: union_all(query, halls)}


_YEAR_DAYS = _year_statements()


def _year_rows(year: int, hall_id: int | None) -> dict[date, Special]:
    """One year's exceptional days for a hall, read once per request or batch (a page asks about many days).

    One query: the county's days and the own days of the hall and of the stations above it, the nearest
    hall's day winning (a village room follows its station's closures, the station the county's calendar).
    A request that only reads may take them from this worker's copy, kept as the rulebook's values are
    (at most RULEBOOK_CACHE_SECONDS old; a change to the calendar in this worker drops it at once).
    """
    cache = g.setdefault("calendar_years", {}) if has_request_context() else _BATCH.get()
    cache = {} if cache is None else cache
    if (hall_id, year) not in cache:
        cache[(hall_id, year)] = _kept_year(year, hall_id) if has_request_context() else _read_year(year, hall_id)
    return cache[(hall_id, year)]


def _kept_year(year: int, hall_id: int | None) -> dict[date, Special]:
    ttl = current_app.config.get("RULEBOOK_CACHE_SECONDS", 0)
    if not ttl or write_intended():  # a write reads the calendar afresh, as it reads the rulebook
        return _read_year(year, hall_id)
    kept = current_app.extensions.setdefault("calendar_cache", {})
    found = kept.get((hall_id, year))
    if found is None or monotonic() - found[0] >= ttl:
        found = kept[(hall_id, year)] = (monotonic(), _read_year(year, hall_id))
    return found[1]


def _read_year(year: int, hall_id: int | None) -> dict[date, Special]:
    halls = rules.lineage(hall_id)
    params = {"first": date(year, 1, 1), "last": date(year, 12, 31), "halls": halls}
    rank = {h: n for n, h in enumerate(halls)}
    rows = sorted(db.session.execute(_YEAR_DAYS[bool(halls)], params).all(), key=lambda r: -rank.get(r[3], len(halls)))
    return {r[0]: Special(*r) for r in rows}  # the nearest hall's row is written last


def _forget_cached_years(worker: bool = False) -> None:
    if worker and has_app_context():  # a change made here, in a request or not (a command, a fixture)
        current_app.extensions.pop("calendar_cache", None)
    if has_request_context():
        g.pop("calendar_years", None)
    if _BATCH.get() is not None:
        _BATCH.get().clear()


def _is_calendar(obj) -> bool:
    return isinstance(obj, CalendarDay | HallCalendarDay)


@event.listens_for(db.session, "after_flush")
def _after_flush(session, _context) -> None:
    """A flushed change to the calendar makes the request's and this worker's kept years stale."""
    if any(_is_calendar(o) for o in (*session.new, *session.dirty, *session.deleted)):
        _forget_cached_years(worker=True)


@event.listens_for(db.session, "after_soft_rollback")
def _after_rollback(_session, _previous) -> None:
    """A rolled-back change may have been cached: read the calendar afresh."""
    _forget_cached_years()


def _exceptions(start: date, end: date, hall_id: int | None) -> dict[date, Special]:
    out = {}
    for rows in _years(start, end, hall_id).values():
        out.update({d: r for d, r in rows.items() if start <= d <= end})
    return out


def _years(start: date, end: date, hall_id: int | None) -> dict[int, dict[date, Special]]:
    """Return each year's exceptional days from start's year to end's, by year (looked up day by day)."""
    if any(_is_calendar(o) for o in db.session.new):
        db.session.flush()
    hall_id = rules.request_hall() if hall_id is None else hall_id
    return {year: _year_rows(year, hall_id) for year in range(start.year, end.year + 1)}


def _working(d: date, years: dict[int, dict[date, Special]]) -> bool:
    row = years[d.year].get(d)
    return (row.kind in CalendarDay.WORKING_KINDS) if row else d.weekday() < 5


def is_working_day(day: date, *, hall_id: int | None = None) -> bool:
    """Say whether the hall (the request's by default) is open on this day."""
    return _working(day, _years(day, day, hall_id))


def working_days(start: date, end: date, *, hall_id: int | None = None) -> list[date]:
    """Return the hall's working days from start to end, inclusive (the request's hall by default)."""
    years = _years(start, end, hall_id) if end >= start else {}
    days, d = [], start
    while d <= end:
        if _working(d, years):
            days.append(d)
        d += timedelta(days=1)
    return days


def describe(start: date, end: date, *, hall_id: int | None = None) -> dict[date, Special]:
    """Return the exceptional days in a range, for calendars that show their names."""
    return _exceptions(start, end, hall_id)


def next_working_day(day: date, step: int = 1, *, hall_id: int | None = None) -> date:
    """Return the nearest working day after (or before, with step=-1) this day."""
    d = day + timedelta(days=step)
    for _ in range(60):
        if is_working_day(d, hall_id=hall_id):
            return d
        d += timedelta(days=step)
    return d


def add_working_days(day: date, count: int, *, hall_id: int | None = None) -> date:
    """Return the working day `count` working days after the day (0: the day itself, or the next working day)."""
    if count <= 0 and is_working_day(day, hall_id=hall_id):
        return day
    wanted, span = max(count, 1), max(count, 1) * 2 + 21
    while True:
        days = working_days(day + timedelta(days=1), day + timedelta(days=span), hall_id=hall_id)
        if len(days) >= wanted:
            return days[wanted - 1]
        span *= 2


def working_days_between(after: date, through: date, *, hall_id: int | None = None) -> int:
    """Count the working days after one day, up to and including another (0 when through <= after)."""
    return len(working_days(after + timedelta(days=1), through, hall_id=hall_id)) if through > after else 0


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
