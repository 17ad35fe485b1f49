"""Check-in on the day (坐班登记) and the leader's note of what they found and solved."""
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from .. import clock
from ..duty import service as duty
from ..extensions import db
from ..org.models import Department
from ..records import hall_record
from ..rulebook import service as rules
from .booking import SitInError, bookings_between, department_row
from .models import ACTIVE, SitInBooking, SitInVisit


@dataclass
class Expected:
    """One department expected to sit in on a day, as the duty desk shows it."""

    department: str
    leader: str
    half: str  # am | pm | day
    state: str  # expected | arrived | absent
    department_id: int = 0
    booking_id: int = 0
    visit: SitInVisit | None = None
    day: date | None = None
    halves: list = field(default_factory=list)

    @property
    def half_label(self) -> str:
        return {"am": "上午", "pm": "下午", "day": "全天"}[self.half]

    @property
    def days(self) -> float:
        """Return the sit-in days this counts for (a half day as the rulebook says)."""
        return 1.0 if self.half == "day" else float(rules.get("sitin.half_day_counts_as"))


def visits_between(hall_id: int, start: date, end: date) -> dict:
    """Return the register rows of a hall's date range, keyed by (department id, day)."""
    q = select(SitInVisit).where(SitInVisit.hall_id == hall_id, SitInVisit.day >= start, SitInVisit.day <= end)
    return {(v.department_id, v.day): v for v in db.session.execute(q).scalars()}


def group_by_department(bookings, visits) -> list[Expected]:
    """Fold half-day bookings into one expected sit-in per department and day."""
    found: dict = {}
    for b in bookings:
        item = found.get((b.department_id, b.day))
        if item is None:
            visit = visits.get((b.department_id, b.day))
            item = found[(b.department_id, b.day)] = Expected(
                department=b.department.name, leader=b.leader.name if b.leader else "（未指定）",
                half=b.half, state=visit.attendance if visit else "expected",
                department_id=b.department_id, booking_id=b.id, visit=visit, day=b.day)
        item.halves.append(b.half)
        item.half = "day" if len(set(item.halves)) == 2 else b.half
    return list(found.values())


def expected_on(day: date, hall_id: int) -> list[Expected]:
    """Return a hall's sit-ins expected on a day, one per department, with their check-in state."""
    q = (select(SitInBooking).where(SitInBooking.hall_id == hall_id, SitInBooking.day == day,
                                    SitInBooking.state == ACTIVE)
         .order_by(SitInBooking.half, SitInBooking.desk_no))
    bookings = db.session.execute(q.options(joinedload(SitInBooking.department),
                                            joinedload(SitInBooking.leader))).scalars().all()
    return group_by_department(bookings, visits_between(hall_id, day, day))


def may_record(user) -> bool:
    """Say whether this person may record check-ins now: who holds the desk, the general leader, an admin."""
    return duty.may_run_desk(user)


def _booked_end(booking: SitInBooking) -> datetime:
    """Return when the department's booked half days of that day end."""
    halves = db.session.execute(select(SitInBooking.half).where(
        SitInBooking.department_id == booking.department_id, SitInBooking.day == booking.day,
        SitInBooking.state == ACTIVE)).scalars().all()
    hours = rules.office_hours(booking.day)
    end = max(hours[h][1] for h in set(halves) | {booking.half})
    return datetime.combine(booking.day, end, tzinfo=clock.hall_tz())


def check_in(user, booking_id: int, arrived: bool) -> SitInVisit:
    """Mark today's sit-in of a department arrived (with the time) or absent, once."""
    booking = hall_record(SitInBooking, booking_id, hall_id=user.hall_id)
    if not may_record(user):
        raise SitInError("今天不是您值班，不能登记坐班到岗（值班台仅供查看）")
    if not booking.active:
        raise SitInError("这条预约已经取消了", 409)
    if booking.day != clock.today():
        raise SitInError("只能登记当天的坐班", 409)
    moment = clock.now()
    visit = SitInVisit(hall_id=booking.hall_id, department_id=booking.department_id, day=booking.day,
                       attendance="arrived" if arrived else "absent", arrived_at=moment if arrived else None,
                       checked_by_id=user.id, checked_at=moment,
                       checked_late=arrived and moment > _booked_end(booking))
    db.session.add(visit)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise SitInError("这个部门今天的坐班已经登记过了", 409) from None
    return visit


def visit_for(user, visit_id: int) -> SitInVisit:
    """Return a register row this person may write the note of (own department, or admin)."""
    return department_row(SitInVisit, visit_id, user)


def write_note(user, visit: SitInVisit, looked_at: str, solved: str, proposed: str) -> None:
    """Record what the leader looked at, solved and proposed (坐班不走过场), once."""
    if visit.attendance != "arrived":
        raise SitInError("只有已到岗的坐班才能填写坐班记录", 409)
    if visit.has_note:
        raise SitInError("坐班记录已经填写过了", 409)
    if not (looked_at or "").strip() or not (solved or "").strip():
        raise SitInError("请填写查看了什么、解决了什么问题")
    visit.looked_at, visit.solved, visit.proposed = looked_at.strip(), solved.strip(), (proposed or "").strip()
    visit.noted_at, visit.noted_by_id = clock.now(), user.id
    db.session.commit()


def note_in_time(visit: SitInVisit | None) -> bool:
    """Say whether the note was written by the end of the sit-in day."""
    return bool(visit and visit.noted_at and clock.local(visit.noted_at).date() <= visit.day)


def recent_visits(dept_id: int, start: date, end: date) -> list[Expected]:
    """Return a department's sit-ins of a date range with their register rows."""
    dept = db.session.get(Department, dept_id)
    bookings = bookings_between(dept.hall_id, start, end, department_id=dept_id)
    return group_by_department(bookings, visits_between(dept.hall_id, start, end))
