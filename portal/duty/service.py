"""Duty desk rules shared by the pages, and the functions other capabilities call."""
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import NamedTuple

from sqlalchemy import and_, bindparam, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import joinedload, lazyload

from .. import clock
from ..auth.models import User
from ..extensions import db
from ..refusals import Refusal
from ..roles import Role
from .models import APPROVED, DutyDay, DutyOverride, DutyPulse, ShortLeave


class DutyError(Refusal):
    """A refused duty action, with a Chinese message and the HTTP status to answer."""


@dataclass(frozen=True)
class Holder:
    """Who holds the desk on one day: the roster's leader after 替岗 (and leaving the counter), and why."""

    day: date
    leader: User | None = None
    general: User | None = None
    why: str = ""
    row: DutyDay | None = None
    swap: DutyOverride | None = None


def _bump_statement(insert):
    pulse = DutyPulse.__table__
    return insert(pulse).values(hall_id=bindparam("hall"), version=1).on_conflict_do_update(
        index_elements=[pulse.c.hall_id], set_={"version": pulse.c.version + 1})


# One upsert, built once per dialect: two first writers of a hall cannot both insert the row.
_BUMP = {"postgresql": _bump_statement(pg_insert), "sqlite": _bump_statement(sqlite_insert)}


def bump(hall_id: int) -> None:
    """Move the hall's desk version on, so every open desk refreshes its counts."""
    db.session.execute(_BUMP[db.session.get_bind().dialect.name], {"hall": hall_id})


def desk_version(hall_id: int) -> int:
    """Return the hall's desk version (one small query)."""
    return db.session.execute(select(DutyPulse.version).where(DutyPulse.hall_id == hall_id)).scalar() or 0


def _people(*relations):
    return [joinedload(r).options(lazyload(User.role_rows)) for r in relations]


def _rows(hall_id: int, first: date, last: date) -> dict[date, DutyDay]:
    rows = db.session.execute(select(DutyDay).where(
        DutyDay.hall_id == hall_id, DutyDay.day >= first, DutyDay.day <= last)
        .options(*_people(DutyDay.leader, DutyDay.general_leader))).scalars()
    return {r.day: r for r in rows}


def approved_overrides(hall_id: int, first: date, last: date) -> list[DutyOverride]:
    """Return the approved overrides touching the range, latest decision last."""
    return db.session.execute(select(DutyOverride).where(
        DutyOverride.hall_id == hall_id, DutyOverride.state == APPROVED,
        DutyOverride.first_day <= last, DutyOverride.last_day >= first)
        .options(*_people(DutyOverride.substitute, DutyOverride.requested_by))
        .order_by(DutyOverride.decided_at, DutyOverride.id)).scalars().all()


def swap_of(row: DutyDay, found: list[DutyOverride]) -> DutyOverride | None:
    """Return the 替岗 in force for a roster day: the latest approved one of the rostered leader's duty."""
    return next((o for o in reversed(found) if o.kind == "days" and o.requested_by_id == row.leader_id
                 and o.first_day <= row.day <= o.last_day), None)


def _counter(day: date, found: list[DutyOverride], at: datetime | None) -> DutyOverride | None:
    if at is None:
        return None
    return next((o for o in reversed(found) if o.kind == "counter" and o.first_day == day
                 and o.starts_at <= at < o.ends_at), None)


def _holder(day: date, row: DutyDay | None, found: list[DutyOverride], at: datetime | None) -> Holder:
    if row is None:
        return Holder(day)
    swap = swap_of(row, found)
    leader, why = (swap.substitute, f"替岗（{swap.requested_by.name}）") if swap else (row.leader, "")
    counter = _counter(day, found, at)
    if counter:
        leader = counter.substitute
        why = f"临时替岗至 {clock.local(counter.ends_at):%H:%M}（{counter.requested_by.name}离岗）"
    return Holder(day, leader, row.general_leader, why, row, swap)


def holders(hall_id: int, first: date, last: date, at: datetime | None = None) -> dict[date, Holder]:
    """Return who holds the hall's desk on each day from first to last (the one answer to that question).

    Approved whole-day 替岗 apply (the latest decision wins); leaving the counter applies at `at` only.
    """
    rows = _rows(hall_id, first, last)
    found = approved_overrides(hall_id, first, last) if rows else []
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    return {d: _holder(d, rows.get(d), found, at) for d in days}


def holder(hall_id: int, day: date, at: datetime | None = None) -> Holder:
    """Return who holds the hall's desk on one day (see holders)."""
    return holders(hall_id, day, day, at)[day]


_DAY, _OVERRIDE = DutyDay.__table__.c, DutyOverride.__table__.c
_LEADER_OF_DAY = select(_DAY.day, _DAY.leader_id).where(_DAY.hall_id == bindparam("hall"), _DAY.day == bindparam("day"))
_OVERRIDES_OF_DAY = (select(_OVERRIDE.kind, _OVERRIDE.requested_by_id, _OVERRIDE.substitute_id, _OVERRIDE.first_day,
                            _OVERRIDE.last_day, _OVERRIDE.starts_at, _OVERRIDE.ends_at)
                     .where(_OVERRIDE.hall_id == bindparam("hall"), _OVERRIDE.state == APPROVED,
                            _OVERRIDE.first_day <= bindparam("day"), _OVERRIDE.last_day >= bindparam("day"))
                     .order_by(_OVERRIDE.decided_at, _OVERRIDE.id))


def holder_id(hall_id: int, day: date, at: datetime | None = None) -> int | None:
    """Return the id of whoever holds the hall's desk on the day (at the moment): holder()'s answer, from columns.

    For asking "is it this person?" (every inbox asks) without loading the people or their overrides as objects.
    """
    row = db.session.execute(_LEADER_OF_DAY, {"hall": hall_id, "day": day}).first()
    if row is None:
        return None
    found = db.session.execute(_OVERRIDES_OF_DAY, {"hall": hall_id, "day": day}).all()
    counter = _counter(day, found, at)
    if counter:
        return counter.substitute_id
    swap = swap_of(row, found)
    return swap.substitute_id if swap else row.leader_id


def holder_now(hall_id: int) -> Holder:
    """Return who holds the hall's desk at this moment."""
    return holder(hall_id, clock.today(), clock.now())


def short_leaves_on(day: date, hall_id: int) -> dict[int, ShortLeave]:
    """Return each person's approved short leave slip (临时外出) of a day: the latest one."""
    q = select(ShortLeave).where(ShortLeave.day == day, ShortLeave.hall_id == hall_id)
    return {s.user_id: s for s in db.session.execute(q.order_by(ShortLeave.out_at)).scalars()}


_SLIP = ShortLeave.__table__
_LATEST_SLIPS = (select(_SLIP.c.user_id, _SLIP.c.returned_at, _SLIP.c.closed_at)
                 .where(_SLIP.c.day == bindparam("day"), _SLIP.c.hall_id == bindparam("hall"))
                 .order_by(_SLIP.c.out_at, _SLIP.c.id))


def still_out_on(day: date, hall_id: int) -> set[int]:
    """Return who is still out on their latest short leave slip of a day (user ids; read as columns)."""
    latest = {uid: back is None and closed is None
              for uid, back, closed in db.session.execute(_LATEST_SLIPS, {"day": day, "hall": hall_id})}
    return {uid for uid, out in latest.items() if out}


def still_out(user_id, day, hall_id):
    """Return a column expression: is the person still out on their latest short leave slip of the day?

    The same answer as still_out_on, for a statement that reads people (a window's posts) to carry along.
    """
    return (select(and_(_SLIP.c.returned_at.is_(None), _SLIP.c.closed_at.is_(None)))
            .where(_SLIP.c.user_id == user_id, _SLIP.c.day == day, _SLIP.c.hall_id == hall_id)
            .order_by(_SLIP.c.out_at.desc(), _SLIP.c.id.desc()).limit(1).scalar_subquery())


def register_away(app, source) -> None:
    """Let a capability tell the desk who is away: source(hall_id, now) -> user ids (e.g. on approved leave)."""
    app.extensions.setdefault("duty_away", []).append(source)


def away_now(hall_id: int, now: datetime) -> set[int]:
    """Return who the registered sources say is away now."""
    from flask import current_app
    return set().union(*(source(hall_id, now) for source in current_app.extensions.get("duty_away", ())))


def short_leaves_between(hall_id: int, first: date, last: date) -> list[ShortLeave]:
    """Return the hall's short leave slips (临时外出) of these days, in order of leaving."""
    q = select(ShortLeave).where(ShortLeave.hall_id == hall_id, ShortLeave.day >= first, ShortLeave.day <= last)
    return db.session.execute(q.order_by(ShortLeave.out_at)).scalars().all()


class Person(NamedTuple):
    """A person the desk names, read as columns (the page shows no more of them than this)."""

    id: int
    name: str
    phone: str = ""


class _Day(NamedTuple):
    day: date
    leader_id: int
    leader: Person
    general_leader: Person | None


class _Swap(NamedTuple):
    kind: str
    requested_by_id: int
    requested_by: Person
    substitute: Person
    first_day: date
    last_day: date
    starts_at: datetime | None
    ends_at: datetime | None


def _one_day_statement():
    """The roster row of one day with the approved overrides touching it, as columns, in one statement."""
    d, o = DutyDay.__table__, DutyOverride.__table__
    lead, general, sub, asker = (User.__table__.alias(name) for name in ("lead", "general", "sub", "asker"))
    swaps = and_(o.c.hall_id == d.c.hall_id, o.c.state == APPROVED, o.c.first_day <= d.c.day, o.c.last_day >= d.c.day)
    joined = (d.outerjoin(lead, lead.c.id == d.c.leader_id).outerjoin(general, general.c.id == d.c.general_leader_id)
              .outerjoin(o, swaps).outerjoin(sub, sub.c.id == o.c.substitute_id)
              .outerjoin(asker, asker.c.id == o.c.requested_by_id))
    return (select(d.c.day, d.c.leader_id, lead.c.name, lead.c.phone, d.c.general_leader_id,
                   general.c.name.label("general_name"), general.c.phone.label("general_phone"),
                   o.c.kind, o.c.requested_by_id, asker.c.name.label("asker_name"), o.c.substitute_id,
                   sub.c.name.label("sub_name"), sub.c.phone.label("sub_phone"),
                   o.c.first_day, o.c.last_day, o.c.starts_at, o.c.ends_at)
            .select_from(joined).where(d.c.hall_id == bindparam("hall_id"), d.c.day == bindparam("day"))
            .order_by(o.c.decided_at, o.c.id))


_ONE_DAY = _one_day_statement()


def holder_as_columns(hall_id: int, day: date, at: datetime | None = None) -> Holder:
    """Return holder(hall_id, day, at) read as columns in one query: its people are Person, not User."""
    rows = db.session.execute(_ONE_DAY, {"hall_id": hall_id, "day": day}).all()
    if not rows:
        return Holder(day)
    r = rows[0]
    general = Person(r.general_leader_id, r.general_name, r.general_phone) if r.general_leader_id else None
    row = _Day(r.day, r.leader_id, Person(r.leader_id, r.name, r.phone), general)
    found = [_Swap(s.kind, s.requested_by_id, Person(s.requested_by_id, s.asker_name),
                   Person(s.substitute_id, s.sub_name, s.sub_phone), s.first_day, s.last_day, s.starts_at, s.ends_at)
             for s in rows if s.kind is not None]
    return _holder(day, row, found, at)


def may_run_desk(user, holder_now_: Holder | None = None) -> bool:
    """Say whether this person may work the desk now (the holder, general duty leader or admin)."""
    if user.has_role(Role.ADMIN, Role.GENERAL_DUTY):
        return True
    leader = (holder_now_ or holder_now(user.hall_id)).leader
    return leader is not None and leader.id == user.id


def require_desk(user) -> None:
    """Refuse a desk action by a duty leader who does not hold the desk now (who holds it: read as columns)."""
    if user.has_role(Role.ADMIN, Role.GENERAL_DUTY):
        return  # may_run_desk's answer whoever holds the desk: nothing to read
    now = holder_as_columns(user.hall_id, clock.today(), clock.now())
    if not may_run_desk(user, now):
        who = now.leader.name if now.leader else "（未排班）"
        raise DutyError(f"今天的值班长是{who}，您不能在值班台上操作", 422)
