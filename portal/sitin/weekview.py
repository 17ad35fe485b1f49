"""The week calendar, the department's coming weeks, the leader's home panel and the .ics feed."""
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import NamedTuple

from sqlalchemy import bindparam, literal, select

from .. import clock
from ..auth.models import User
from ..extensions import db
from ..inbox import worktime
from ..org.models import Department
from ..rulebook import calendar
from ..rulebook import service as rules
from .booking import bookings_between, deadline_for, last_bookable_day, monday_of, required_days
from .checkin import group_by_department, recent_visits, visits_between
from .models import ACTIVE, HALVES, SitInBooking, SitInVisit

WEEKDAY_NAMES = "一二三四五六日"


@dataclass
class Cell:
    """One half day of the week view: who sits in, how many desks are free, what I may do."""

    day: date
    half: str
    bookings: list = field(default_factory=list)
    free: int = 0
    mine: object = None
    bookable: bool = False
    reception: bool = False

    @property
    def label(self) -> str:
        return HALVES[self.half]


@dataclass
class Column:
    """One day of the week view."""

    day: date
    working: bool
    name: str = ""
    cells: list = field(default_factory=list)

    @property
    def weekday(self) -> str:
        return "星期" + WEEKDAY_NAMES[self.day.weekday()]


class Named(NamedTuple):
    """A department or a leader as the week view names them."""

    name: str


class WeekBooking(NamedTuple):
    """An active booking as the week view shows it (read as columns)."""

    id: int
    department_id: int
    day: date
    half: str
    desk_no: int
    full_day: bool
    filed_late: bool
    department: Named
    leader: Named | None


_BK, _DP, _LD = SitInBooking.__table__, Department.__table__, User.__table__
# Written into the SQL, not sent as a parameter: a prepared statement's generic plan on PostgreSQL may then use
# the partial index of the active bookings (hall, day), not every hall's bookings of the week (ix_sitin_booking_day).
_ACTIVE = literal(ACTIVE, literal_execute=True)
_WEEK_BOOKINGS = (select(_BK.c.id, _BK.c.department_id, _BK.c.day, _BK.c.half, _BK.c.desk_no, _BK.c.full_day,
                         _BK.c.filed_late, _DP.c.name, _BK.c.leader_id, _LD.c.name)
                  .select_from(_BK.outerjoin(_DP, _DP.c.id == _BK.c.department_id)
                               .outerjoin(_LD, _LD.c.id == _BK.c.leader_id))
                  .where(_BK.c.hall_id == bindparam("hall"), _BK.c.day >= bindparam("start"),
                         _BK.c.day <= bindparam("end"), _BK.c.state == _ACTIVE)
                  .order_by(_BK.c.day, _BK.c.half, _BK.c.desk_no))


class WeekVisit(NamedTuple):
    """A register row as a department's filing status reads it."""

    attendance: str


_VS = SitInVisit.__table__
_WEEK_VISITS = select(_VS.c.department_id, _VS.c.day, _VS.c.attendance).where(
    _VS.c.hall_id == bindparam("hall"), _VS.c.day >= bindparam("start"), _VS.c.day <= bindparam("end"))


def week_bookings(hall_id: int, monday: date) -> list[WeekBooking]:
    """Return a week's active bookings of every department, in the order of bookings_between."""
    rows = db.session.execute(_WEEK_BOOKINGS, {"hall": hall_id, "start": monday, "end": monday + timedelta(days=6)})
    return [WeekBooking(*r[:7], Named(r[7]), Named(r[9]) if r[8] is not None else None) for r in rows]


def week_grid(hall_id: int, monday: date, dept_id: int | None, bookings: list | None = None) -> list[Column]:
    """Return the week's days (Monday to Friday, plus any make-up working weekend day)."""
    days = [monday + timedelta(days=i) for i in range(7)]
    working = set(calendar.working_days(days[0], days[-1]))
    names = {d: row.name for d, row in calendar.describe(days[0], days[-1]).items()}
    bookings = week_bookings(hall_id, monday) if bookings is None else bookings
    desks, today, last = rules.get("sitin.desks_per_half_day"), clock.today(), last_bookable_day()
    reception_day, reception_half = rules.get("duty.reception_weekday"), rules.get("duty.reception_half")
    columns = []
    for day in days:
        if day.weekday() >= 5 and day not in working:
            continue
        col = Column(day=day, working=day in working, name=names.get(day, ""))
        for half in HALVES:
            reception = day.isoweekday() == reception_day and reception_half in (half, "day")
            cell = Cell(day=day, half=half, reception=reception)
            cell.bookings = [b for b in bookings if b.day == day and b.half == half]
            cell.free = max(desks - len(cell.bookings), 0)
            cell.mine = next((b for b in cell.bookings if b.department_id == dept_id), None)
            cell.bookable = col.working and today <= day <= last and cell.free > 0 and not cell.mine
            col.cells.append(cell)
        columns.append(col)
    return columns


def week_page(hall_id: int, monday: date, dept_id: int | None, with_status: bool):
    """Return the week view's columns and, if asked, the department's filing (one read of the week's bookings)."""
    bookings = week_bookings(hall_id, monday)
    status = None
    if with_status:
        rows = db.session.execute(_WEEK_VISITS, {"hall": hall_id, "start": monday, "end": monday + timedelta(days=6)})
        status = week_status(dept_id, hall_id, monday, week=(bookings, {(d, day): WeekVisit(a) for d, day, a in rows}))
    return week_grid(hall_id, monday, dept_id, bookings), status


@dataclass
class WeekStatus:
    """A department's filing for one week."""

    monday: date
    deadline: datetime
    required: float
    booked: float
    late: bool
    sitins: list

    @property
    def filed(self) -> bool:
        return bool(self.sitins)

    @property
    def deadline_passed(self) -> bool:
        return clock.now() > self.deadline


def week_status(dept_id: int, hall_id: int, monday: date, week: tuple | None = None) -> WeekStatus:
    """Return whether a department has filed a week, and by when it must (week: hall_week's, if read)."""
    bookings, visits = week or hall_week(hall_id, monday, dept_id)
    rows = [b for b in bookings if b.department_id == dept_id]
    sitins = group_by_department(rows, visits)
    return WeekStatus(monday=monday, deadline=deadline_for(monday), required=required_days(monday),
                      booked=sum(s.days for s in sitins), late=bool(rows) and all(b.filed_late for b in rows),
                      sitins=sitins)


def hall_week(hall_id: int, monday: date, dept_id: int | None = None) -> tuple[list, dict]:
    """Return a week's active bookings (of one department, or every one) and the hall's register rows."""
    sunday = monday + timedelta(days=6)
    return bookings_between(hall_id, monday, sunday, department_id=dept_id), visits_between(hall_id, monday, sunday)


def department_weeks(dept_id: int, hall_id: int) -> list[WeekStatus]:
    """Return this week and the coming weeks open for booking."""
    this = monday_of(clock.today())
    return [week_status(dept_id, hall_id, this + timedelta(weeks=i))
            for i in range(rules.get("sitin.booking_open_weeks") + 1)]


def past_sitins(dept_id: int, weeks: int = 4):
    """Return a department's sit-ins of the last weeks up to today, newest first."""
    today = clock.today()
    return sorted(recent_visits(dept_id, monday_of(today) - timedelta(weeks=weeks), today),
                  key=lambda s: s.day, reverse=True)


def leader_panel(user) -> dict | None:
    """Return the home panel of a window leader: is next week filed, and how long is left."""
    if not user.department_id:
        return None
    today = clock.today()
    status = week_status(user.department_id, user.hall_id, monday_of(today) + timedelta(weeks=1))
    due = [s.visit for s in recent_visits(user.department_id, today, today)
           if s.state == "arrived" and not s.visit.has_note]
    return {"status": status, "left": worktime.time_left(status.deadline), "note_due": due[0] if due else None}


def ensure_calendar_token(user) -> str:
    """Give the person a private calendar token if they have none yet, and return it."""
    if not user.calendar_token:
        user.calendar_token = secrets.token_urlsafe(24)
        db.session.commit()
    return user.calendar_token


def ics_events(user) -> list:
    """Return the department's sit-ins from four weeks back to the end of booking."""
    today = clock.today()
    rows = bookings_between(user.hall_id, today - timedelta(weeks=4), last_bookable_day(),
                            department_id=user.department_id)
    return rows

