"""The rotation (值班表): order of eligible people, the generated roster and overrides (替岗)."""
from datetime import date, datetime, timedelta

from sqlalchemy import bindparam, delete, func, select

from .. import clock
from ..auth.models import User, UserRole
from ..extensions import db
from ..records import hall_record
from ..roles import Role
from ..rulebook import calendar
from ..rulebook import service as rules
from .models import APPROVED, PENDING, REFUSED, DutyDay, DutyOverride, DutyRotationMember
from .service import DutyError, approved_overrides, bump, swap_of

OVERRIDES_SHOWN = 100


def eligible(hall_id: int) -> list[User]:
    """Return the people who may take a turn as duty leader."""
    return db.session.execute(select(User).join(UserRole).where(
        User.hall_id == hall_id, User.active.is_(True), UserRole.role == Role.DUTY_LEADER.value)
        .order_by(User.name)).scalars().all()


def general_leaders(hall_id: int) -> list[User]:
    """Return the people who may be named general duty leader."""
    return db.session.execute(select(User).join(UserRole).where(
        User.hall_id == hall_id, User.active.is_(True), UserRole.role == Role.GENERAL_DUTY.value)
        .order_by(User.name)).scalars().all()


def order(hall_id: int) -> list[User]:
    """Return the rotation order."""
    rows = db.session.execute(select(DutyRotationMember).where(DutyRotationMember.hall_id == hall_id)
                              .order_by(DutyRotationMember.position, DutyRotationMember.id)).scalars()
    return [r.user for r in rows]


def set_order(hall_id: int, user_ids: list[int]) -> None:
    """Replace the rotation order with these people, in this order."""
    allowed = {u.id for u in eligible(hall_id)}
    if not user_ids:
        raise DutyError("请至少选择一名值班长")
    if any(uid not in allowed for uid in user_ids) or len(set(user_ids)) != len(user_ids):
        raise DutyError("轮值名单中有不能担任值班长的人员")
    db.session.execute(delete(DutyRotationMember).where(DutyRotationMember.hall_id == hall_id))
    for pos, uid in enumerate(user_ids):
        db.session.add(DutyRotationMember(hall_id=hall_id, user_id=uid, position=pos))


def _term_key(day: date, anchor: date) -> int:
    """Return which term a day falls in: every working day, or every two weeks from the anchor's Monday."""
    if rules.get("duty.term") == "two_weeks":
        monday = anchor - timedelta(days=anchor.weekday())
        return (day - monday).days // 14
    return day.toordinal()


def first_movable_day(hall_id: int) -> date:
    """Return the first roster day that may still change: today until its duty has begun, else tomorrow."""
    today = clock.today()
    started = db.session.execute(select(DutyDay.id).where(DutyDay.hall_id == hall_id, DutyDay.day == today)).first()
    return today + timedelta(days=1) if started else today


def _continued(hall_id: int, start: date, ids: list[int]):
    """Return (anchor, key, index, term) of the roster before start, so a new stretch continues its term."""
    previous = db.session.execute(select(DutyDay).where(DutyDay.hall_id == hall_id, DutyDay.day < start)
                                  .order_by(DutyDay.day.desc()).limit(1)).scalar()
    if previous is None or previous.leader_id not in ids:
        return None, None, -1, (previous.term_no if previous else -1)
    anchor = db.session.execute(select(func.min(DutyDay.day)).where(
        DutyDay.hall_id == hall_id, DutyDay.term_no == previous.term_no)).scalar()
    return anchor, _term_key(previous.day, anchor), ids.index(previous.leader_id), previous.term_no


def generate(hall_id: int, start: date, end: date, general_leader_id: int | None) -> int:
    """Lay the rotation over the working days from start to end; past days are never rewritten.

    The stretch continues the roster before it: a running two-week term keeps its leader to its end,
    and each new term goes to the person after the last one.
    """
    people = order(hall_id)
    if not people:
        raise DutyError("请先设置轮值顺序")
    if end < start or (end - start).days > 366:
        raise DutyError("结束日期须在开始日期之后，且不超过一年")
    start = max(start, first_movable_day(hall_id))
    days = calendar.working_days(start, end)
    db.session.execute(delete(DutyDay).where(DutyDay.hall_id == hall_id, DutyDay.day >= start,
                                             DutyDay.day <= end))
    ids = [p.id for p in people]
    anchor, last_key, index, term = _continued(hall_id, start, ids)
    anchor = anchor or (days[0] if days else start)
    for d in days:
        key = _term_key(d, anchor)
        if key != last_key:
            index, term = (index + 1) % len(ids), term + 1
        last_key = key
        db.session.add(DutyDay(hall_id=hall_id, day=d, leader_id=ids[index], term_no=term,
                               general_leader_id=general_leader_id))
    bump(hall_id)
    return len(days)


def request_override(user, substitute_id: int, first: date, last: date, reason: str) -> DutyOverride:
    """Ask a named colleague to take days of one's duty (替岗); the general duty leader decides."""
    sub = _colleague(user, substitute_id)
    if last < first:
        raise DutyError("结束日期不能早于开始日期")
    if first < clock.today():
        raise DutyError("已过去的值班日不能更改")
    mine = db.session.execute(select(DutyDay.day).where(
        DutyDay.hall_id == user.hall_id, DutyDay.leader_id == user.id,
        DutyDay.day >= first, DutyDay.day <= last)).scalars().all()
    if not mine:
        raise DutyError("所选日期内您没有值班安排")
    o = DutyOverride(hall_id=user.hall_id, kind="days", requested_by_id=user.id, substitute_id=sub.id,
                     first_day=first, last_day=last, reason=reason.strip())
    db.session.add(o)
    bump(user.hall_id)
    return o


def request_counter(user, substitute_id: int, starts: datetime, ends: datetime, reason: str) -> DutyOverride:
    """Ask to leave the counter for part of today with a named substitute (离岗替岗)."""
    sub = _colleague(user, substitute_id)
    if ends <= starts:
        raise DutyError("结束时间须晚于开始时间")
    if starts.date() != clock.today() or ends.date() != clock.today():
        raise DutyError("离岗只能申请当天的时段")
    if not reason.strip():
        raise DutyError("请填写离岗事由")
    o = DutyOverride(hall_id=user.hall_id, kind="counter", requested_by_id=user.id, substitute_id=sub.id,
                     first_day=starts.date(), last_day=starts.date(), starts_at=starts, ends_at=ends,
                     reason=reason.strip())
    db.session.add(o)
    bump(user.hall_id)
    return o


def _colleague(user, substitute_id) -> User:
    sub = db.session.get(User, substitute_id) if substitute_id else None
    if sub is None or sub.hall_id != user.hall_id or not sub.active or not sub.has_role(Role.DUTY_LEADER):
        raise DutyError("请选择一名可担任值班长的同事")
    if sub.id == user.id:
        raise DutyError("替岗人不能是本人")
    return sub


def decide(user, override_id: int, approve: bool) -> DutyOverride:
    """Approve or refuse a request (general duty leader only); a decided one stays decided.

    Approving a 替岗 of days another approved 替岗 already gave away replaces it explicitly: the new one
    names the one it supersedes, and the earlier record stays as it was.
    """
    o = hall_record(DutyOverride, override_id, hall_id=user.hall_id)
    if o.state != PENDING:
        raise DutyError("这个申请已经处理过了", 409)
    if o.last_day < clock.today():
        raise DutyError("已过去的值班日不能更改")
    if approve and o.kind == "days":
        o.supersedes = superseded_by(o)
    o.state, o.decided_by_id, o.decided_at = (APPROVED if approve else REFUSED), user.id, clock.now()
    bump(user.hall_id)
    return o


def superseded_by(o: DutyOverride) -> DutyOverride | None:
    """Return the approved 替岗 in force on the request's days that approving it would replace (the latest)."""
    rows = db.session.execute(select(DutyDay).where(
        DutyDay.hall_id == o.hall_id, DutyDay.leader_id == o.requested_by_id,
        DutyDay.day >= max(o.first_day, clock.today()), DutyDay.day <= o.last_day)).scalars().all()
    found = approved_overrides(o.hall_id, o.first_day, o.last_day)
    swaps = [s for s in (swap_of(r, found) for r in rows) if s is not None and s.id != o.id]
    return max(swaps, key=lambda s: (s.decided_at, s.id)) if swaps else None


_override = DutyOverride.__table__
_PENDING = (select(_override.c.id).where(_override.c.hall_id == bindparam("hall_id"), _override.c.state == PENDING)
            .order_by(_override.c.id.desc()).limit(OVERRIDES_SHOWN))


def pending_ids(hall_id: int) -> list[int]:
    """Return the ids of the requests waiting for a decision, as overrides(hall_id, True) lists them."""
    return db.session.execute(_PENDING, {"hall_id": hall_id}).scalars().all()


def overrides(hall_id: int, pending_only: bool = False) -> list[DutyOverride]:
    """Return the override requests, newest first."""
    q = select(DutyOverride).where(DutyOverride.hall_id == hall_id)
    if pending_only:
        q = q.where(DutyOverride.state == PENDING)
    return db.session.execute(q.order_by(DutyOverride.id.desc()).limit(OVERRIDES_SHOWN)).scalars().all()
