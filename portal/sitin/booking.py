"""Booking a leader sit-in (领导坐班): weeks and deadlines, who books for whom, desks, cancelling."""
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from .. import clock
from ..auth.models import User, UserRole
from ..extensions import db
from ..org.models import Department
from ..records import hall_record
from ..refusals import Refusal
from ..roles import Role
from ..rulebook import calendar
from ..rulebook import service as rules
from .models import ACTIVE, CANCELLED, HALVES, SitInBooking

HALF_CHOICES = {"am": "上午", "pm": "下午", "day": "全天"}


class SitInError(Refusal):
    """A refused sit-in action (领导坐班), with a Chinese message and the HTTP status to answer."""


# --- weeks and deadlines ---------------------------------------------------------------

def monday_of(day: date) -> date:
    """Return the Monday of the week holding this day."""
    return day - timedelta(days=day.weekday())


def deadline_for(monday: date) -> datetime:
    """Return when a week's sit-ins must be filed: the set weekday and time of the week before.

    When that day is not a working day (a holiday), the deadline moves back to the last
    working day before it, since the center office is closed to receive filings.
    """
    nominal = monday - timedelta(days=7) + timedelta(days=rules.get("sitin.deadline_weekday") - 1)
    day = nominal
    while not calendar.is_working_day(day) and day > nominal - timedelta(days=7):
        day -= timedelta(days=1)
    if not calendar.is_working_day(day):
        day = nominal
    return datetime.combine(day, rules.get("sitin.deadline_time"), tzinfo=clock.hall_tz())


def is_late(day: date, moment: datetime | None = None) -> bool:
    """Say whether filing a sit-in for this day now is past its week's deadline."""
    return (moment or clock.now()) > deadline_for(monday_of(day))


def required_days(monday: date) -> float:
    """Return the days a department must sit in this week (fewer in a week of holidays)."""
    working = calendar.working_days(monday, monday + timedelta(days=6))
    return float(min(rules.get("sitin.min_days_per_week"), len(working)))


def last_bookable_day() -> date:
    """Return the last day booking is open for (booking opens a set number of weeks ahead)."""
    return monday_of(clock.today()) + timedelta(weeks=rules.get("sitin.booking_open_weeks") + 1, days=-1)


def parse_day(raw: str) -> date:
    """Read a YYYY-MM-DD date, or refuse with a Chinese message."""
    try:
        return date.fromisoformat((raw or "").strip())
    except ValueError:
        raise SitInError("日期格式不正确") from None


# --- who may book for which department ----------------------------------------------------

def department_for(user, department_id) -> Department:
    """Return the department this person may book for; a leader only their own."""
    if department_id in (None, ""):
        department_id = user.department_id
    try:
        department_id = int(department_id)
    except (TypeError, ValueError):
        raise SitInError("请选择部门") from None
    dept = hall_record(Department, department_id, hall_id=user.hall_id)
    if dept.kind != "window_unit":
        raise SitInError("没有这个窗口单位", 404)
    if not user.has_role(Role.ADMIN) and dept.id != user.department_id:
        raise SitInError("只能为本部门预约坐班", 403)
    return dept


def leader_of(dept_id: int) -> User | None:
    """Return the department's window leader (窗口负责人), if it has one."""
    return db.session.execute(
        select(User).join(UserRole).where(User.department_id == dept_id, User.active.is_(True),
                                          UserRole.role == Role.WINDOW_LEADER.value)
        .order_by(User.id).limit(1)).scalar()


# --- booking --------------------------------------------------------------------------

def check_slot(day: date, half: str) -> list[str]:
    """Return the halves a booking takes, or refuse a day or half that cannot be booked."""
    if half not in HALF_CHOICES:
        raise SitInError("没有这个时段，请选择上午、下午或全天")
    if day < clock.today():
        raise SitInError("不能预约已经过去的日期")
    if not calendar.is_working_day(day):
        raise SitInError(f"{day:%m月%d日} 不是工作日（节假日或周末），不能坐班")
    if day > last_bookable_day():
        raise SitInError(f"只能预约 {rules.get('sitin.booking_open_weeks')} 周以内的坐班")
    return ["am", "pm"] if half == "day" else [half]


def book(user, department_id, day: date, half: str, note: str = "") -> list[SitInBooking]:
    """Book a sit-in for a department (领导坐班报备); the lowest free desk of each half is taken."""
    dept = department_for(user, department_id)
    halves = check_slot(day, half)
    leader = user if user.department_id == dept.id and user.has_role(Role.WINDOW_LEADER) else leader_of(dept.id)
    leader_id, user_id, dept_id, hall_id = (leader.id if leader else None), user.id, dept.id, dept.hall_id
    for _attempt in range(rules.get("sitin.desks_per_half_day") + 3):
        try:
            rows = _place(hall_id, dept_id, leader_id, user_id, day, halves, note)
            db.session.commit()
            return rows
        except IntegrityError:
            # Someone took the desk (or the same form arrived twice) between our read and write.
            db.session.rollback()
    raise SitInError("预约的人太多，请稍后再试", 409)


def _place(hall_id, dept_id, leader_id, user_id, day, halves, note) -> list[SitInBooking]:
    taken = db.session.execute(
        select(SitInBooking.half, SitInBooking.desk_no, SitInBooking.department_id)
        .where(SitInBooking.hall_id == hall_id, SitInBooking.day == day,
               SitInBooking.half.in_(halves), SitInBooking.state == ACTIVE)).all()
    if any(t.department_id == dept_id for t in taken):
        raise SitInError("本部门这个时段已经预约过了", 409)
    desks, moment, rows = rules.get("sitin.desks_per_half_day"), clock.now(), []
    for half in halves:
        used = {t.desk_no for t in taken if t.half == half}
        free = next((n for n in range(1, desks + 1) if n not in used), None)
        if free is None or len(used) >= desks:  # desks may have been reduced since others booked
            raise SitInError(f"{day:%m月%d日}{HALVES[half]}的 {desks} 个坐班席位已满，请选择其他时段", 409)
        rows.append(SitInBooking(hall_id=hall_id, department_id=dept_id, leader_id=leader_id,
                                 booked_by_id=user_id, day=day, half=half, desk_no=free,
                                 full_day=len(halves) == 2, filed_at=moment,
                                 filed_late=is_late(day, moment), note=note.strip()[:200]))
    db.session.add_all(rows)
    db.session.flush()
    return rows


def department_row(model, row_id: int, user):
    """Return a sit-in row of the person's own department (any department for an admin), else an audited 404."""
    department_id = None if user.has_role(Role.ADMIN) else user.department_id or 0
    return hall_record(model, row_id, hall_id=user.hall_id, department_id=department_id)


def booking_for(user, booking_id: int) -> SitInBooking:
    """Return a booking this person may change: 404 for another hall or department."""
    return department_row(SitInBooking, booking_id, user)


def cancel(user, booking: SitInBooking, reason: str) -> None:
    """Cancel a booking (kept, with who, when and why); after the deadline a reason is required."""
    reason = (reason or "").strip()
    if not booking.active:
        raise SitInError("这条预约已经取消了", 409)
    if booking.day < clock.today():
        raise SitInError("已经过去的坐班不能取消")
    late = is_late(booking.day)
    if late and not reason:
        raise SitInError("已过报备截止时间，取消或变更须填写原因")
    rows = [booking]
    if booking.full_day:
        rows = db.session.execute(select(SitInBooking).where(
            SitInBooking.department_id == booking.department_id, SitInBooking.day == booking.day,
            SitInBooking.full_day.is_(True), SitInBooking.state == ACTIVE)).scalars().all()
    for row in rows:
        row.state, row.cancelled_at, row.cancelled_by_id = CANCELLED, clock.now(), user.id
        row.cancel_reason, row.cancelled_late = reason[:200], late
    db.session.commit()


def bookings_between(hall_id: int, start: date, end: date, department_id: int | None = None,
                     active_only: bool = True) -> list[SitInBooking]:
    """Return the bookings of a date range with department and leader, in one query."""
    q = (select(SitInBooking).where(SitInBooking.hall_id == hall_id, SitInBooking.day >= start,
                                    SitInBooking.day <= end)
         .options(joinedload(SitInBooking.department), joinedload(SitInBooking.leader))
         .order_by(SitInBooking.day, SitInBooking.half, SitInBooking.desk_no))
    if department_id:
        q = q.where(SitInBooking.department_id == department_id)
    if active_only:
        q = q.where(SitInBooking.state == ACTIVE)
    return db.session.execute(q).scalars().all()
