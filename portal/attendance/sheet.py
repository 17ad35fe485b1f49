"""A month of results for many people at once: a fixed number of queries, whatever the staff count."""
from calendar import monthrange
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType

from sqlalchemy import select
from sqlalchemy.orm import joinedload, lazyload

from .. import clock
from ..auth.models import User
from ..duty import service as duty
from ..extensions import db
from ..patrol import onpost as patrol
from ..rulebook import calendar
from . import corrections, leave
from . import hours as office
from .days import day_result
from .models import DeviceUser, Punch

_UNCOUNTED = frozenset(("off", "pending"))


@dataclass
class Totals:
    """A person's month in numbers."""

    present_halves: int = 0
    late: int = 0
    late_minutes: int = 0
    early: int = 0
    early_minutes: int = 0
    absent_halves: int = 0
    missed: int = 0
    leave: dict = field(default_factory=dict)  # kind label: half days

    @property
    def present_days(self) -> float:
        return self.present_halves / 2

    @property
    def absent_days(self) -> float:
        return self.absent_halves / 2

    def add(self, result) -> None:
        """Count one half day."""
        if result.status in _UNCOUNTED:
            return  # off and not yet due carry no minutes either
        self.present_halves += result.status == "present"
        self.absent_halves += result.status == "absent"
        self.missed += result.status == "missed"
        self.late += bool(result.late)
        self.late_minutes += result.late
        self.early += bool(result.early)
        self.early_minutes += result.early
        if result.status == "leave":
            self.leave[result.leave] = self.leave.get(result.leave, 0) + 1


@dataclass
class PersonMonth:
    """One person's month: each day's halves, the punches behind them, and the totals."""

    person: User
    mapped: bool = True
    days: dict = field(default_factory=dict)
    punches: dict = field(default_factory=dict)
    totals: Totals = field(default_factory=Totals)
    findings: dict = field(default_factory=dict)  # {day: {half: [patrol findings of being off post]}}

    def found(self, day: date, half: str) -> list:
        """Return the patrol's off-post findings (空岗, 脱岗) against the person in a half day."""
        return self.findings.get(day, {}).get(half, [])


def month_days(year: int, month: int) -> list[date]:
    """Return every day of a month."""
    return [date(year, month, d) for d in range(1, monthrange(year, month)[1] + 1)]


def punches_by_person(hall_id: int, first: date, last: date, user_ids=None) -> dict:
    """Return {user_id: {day: [times]}} for mapped punches in the range (unmapped ones wait for their mapping)."""
    q = (select(DeviceUser.user_id, Punch.day, Punch.punched_at)
         .join(DeviceUser, (DeviceUser.hall_id == Punch.hall_id) & (DeviceUser.source == Punch.source)
               & (DeviceUser.device_user_id == Punch.device_user_id))
         .where(Punch.hall_id == hall_id, Punch.day >= first, Punch.day <= last))
    if user_ids is not None:
        q = q.where(DeviceUser.user_id.in_(list(user_ids)))
    out = defaultdict(lambda: defaultdict(list))
    for uid, day, at in db.session.execute(q):
        out[uid][day].append(at)
    for uid, day, at in corrections.approved_punches(hall_id, first, last, user_ids):
        out[uid][day].append(at)
    return out


def shorts_by_person(hall_id: int, first: date, last: date) -> dict:
    """Return {user_id: {day: [(out, back)]}} of the desk's short leaves, as the hall's wall-clock times."""
    out = defaultdict(lambda: defaultdict(list))
    for slip in duty.short_leaves_between(hall_id, first, last):
        back = slip.returned_at or slip.closed_at or slip.due_at
        out[slip.user_id][slip.day].append((_wall(slip.out_at), _wall(back)))
    return out


def _wall(moment):
    return clock.local(moment).replace(tzinfo=None)


def leave_by_person(hall_id: int, first: date, last: date) -> dict:
    """Return {user_id: {day: {half: kind label}}} of approved leave that counts."""
    out = defaultdict(lambda: defaultdict(dict))
    for uid, halves in leave.covering(hall_id, first, last).items():
        for (day, half), row in halves.items():
            out[uid][day][half] = row.kind_label
    return out


def findings_by_person(hall_id: int, first: date, last: date) -> dict:
    """Return {user_id: {day: {half: [finding]}}} of the patrol's off-post findings in the range (one query)."""
    out = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
    noons = {}
    for found in patrol.off_post_findings(hall_id, first, last):
        if found.day not in noons:
            noons[found.day] = office.noon(office.day_hours(found.day))
        half = "am" if found.at.replace(tzinfo=None) < noons[found.day] else "pm"  # found.at: the hall's time
        for uid in found.user_ids:
            out[uid][found.day][half].append(found)
    return out


def month_sheet(hall_id: int, year: int, month: int, people: list[User], with_findings=False) -> list[PersonMonth]:
    """Compute the month for these people of the hall (with the patrol's off-post findings, for a page)."""
    return range_sheet(hall_id, month_days(year, month), people, with_findings)


def range_sheet(hall_id: int, days: list[date], people: list[User], with_findings=False) -> list[PersonMonth]:
    """Compute consecutive days for these people of the hall."""
    working = set(calendar.working_days(days[0], days[-1]))
    punches = punches_by_person(hall_id, days[0], days[-1], [p.id for p in people])
    leaves, shorts = leave_by_person(hall_id, days[0], days[-1]), shorts_by_person(hall_id, days[0], days[-1])
    mapped = set(db.session.execute(select(DeviceUser.user_id).where(DeviceUser.hall_id == hall_id)).scalars())
    now, per_day = clock.local(clock.now()).replace(tzinfo=None), office.punches_per_day()
    blocks = {day: office.day_hours(day) for day in working}
    found = findings_by_person(hall_id, days[0], days[-1]) if with_findings else {}
    bare = {}  # a day without punches, leave or outings comes out the same for everyone: judged once, shared
    sheet = []
    for person in people:
        row = PersonMonth(person, person.id in mapped, punches=punches.get(person.id, {}),
                          findings=found.get(person.id, {}))
        sheet.append(row)
        if not row.mapped:
            continue  # without a device id there is nothing to judge: the grid says so instead of 旷工
        mine, out = leaves.get(person.id, {}), shorts.get(person.id, {})
        for day in days:
            times, kinds, outings = row.punches.get(day), mine.get(day), out.get(day)
            if times or kinds or outings:
                halves = day_result(day, times or [], day in working, now, per_day, blocks.get(day), kinds,
                                    outings or ())
            else:
                if day not in bare:
                    bare[day] = MappingProxyType(day_result(day, [], day in working, now, per_day, blocks.get(day)))
                halves = bare[day]
            row.days[day] = halves
            for result in halves.values():
                row.totals.add(result)
    return sheet


def hall_people(hall_id: int, department_id: int | None = None) -> list[User]:
    """Return the hall's (or one department's) active people, by department and name (departments loaded)."""
    q = (select(User).options(joinedload(User.department), lazyload(User.role_rows))
         .where(User.hall_id == hall_id, User.active.is_(True), User.department_id.is_not(None)))
    if department_id is not None:
        q = q.where(User.department_id == department_id)
    return db.session.execute(q.order_by(User.department_id, User.name)).scalars().all()
