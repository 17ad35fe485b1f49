"""Re-planning the roster after the working-day calendar changed (a holiday entered late, a make-up day)."""
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from ..audit import service as audit
from ..extensions import db
from ..rulebook import calendar
from .models import DutyDay
from .rotation import first_movable_day, generate
from .service import DutyError


@dataclass
class Impact:
    """What a calendar change does to the roster from the first day that may still move."""

    since: date
    last: date | None = None
    closed: list[DutyDay] = field(default_factory=list)  # rostered days the hall is now closed on
    unstaffed: list[date] = field(default_factory=list)  # working days inside the roster with nobody on it

    @property
    def any(self) -> bool:
        return bool(self.closed or self.unstaffed)


def impact(hall_id: int, since: date | None = None) -> Impact:
    """Return the roster days from `since` on (never past ones) that no longer match the calendar."""
    since = max(since or first_movable_day(hall_id), first_movable_day(hall_id))
    last = db.session.execute(select(func.max(DutyDay.day)).where(DutyDay.hall_id == hall_id)).scalar()
    if last is None or last < since:
        return Impact(since)
    rows = db.session.execute(select(DutyDay).where(DutyDay.hall_id == hall_id, DutyDay.day >= since)
                              .order_by(DutyDay.day)).scalars().all()
    working = set(calendar.working_days(since, last))
    rostered = {r.day for r in rows}
    return Impact(since, last, [r for r in rows if r.day not in working], sorted(working - rostered))


def replan(hall_id: int, since: date) -> int:
    """Lay the rotation again from `since` to the end of the roster (past days never move); audited."""
    found = impact(hall_id, since)
    if found.last is None:
        raise DutyError("这段时间还没有值班表，无需重新排班", 409)
    first = next((r for r in db.session.execute(select(DutyDay).where(
        DutyDay.hall_id == hall_id, DutyDay.day >= found.since).order_by(DutyDay.day).limit(1)).scalars()), None)
    detail = {"from": found.since.isoformat(), "to": found.last.isoformat(),
              "closed": [r.day.isoformat() for r in found.closed],
              "unstaffed": [d.isoformat() for d in found.unstaffed]}
    n = generate(hall_id, found.since, found.last, first.general_leader_id if first else None)
    audit.record("duty.replan", "hall", hall_id, detail={**detail, "days": n})
    return n
