"""Duty desk rules shared by the pages, and the functions other capabilities call."""
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import joinedload, lazyload

from .. import clock
from ..auth.models import User
from ..extensions import db
from .models import APPROVED, DutyDay, DutyOverride, DutyPulse, ShortLeave


class DutyError(Exception):
    """A refused duty action, with a Chinese message and the HTTP status to answer."""

    def __init__(self, message: str, status: int = 422):
        super().__init__(message)
        self.message, self.status = message, status


def bump(hall_id: int) -> None:
    """Move the hall's desk version on, so every open desk refreshes its counts."""
    # One upsert: two first writers of a hall cannot both insert the row.
    insert = pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = insert(DutyPulse).values(hall_id=hall_id, version=1)
    db.session.execute(statement.on_conflict_do_update(
        index_elements=[DutyPulse.hall_id], set_={"version": DutyPulse.version + 1}))


def desk_version(hall_id: int) -> int:
    """Return the hall's desk version (one small query)."""
    return db.session.execute(select(DutyPulse.version).where(DutyPulse.hall_id == hall_id)).scalar() or 0


def duty_day(day: date, hall_id: int | None = None) -> DutyDay | None:
    """Return the roster row of a day."""
    q = select(DutyDay).where(DutyDay.day == day).options(
        joinedload(DutyDay.leader).options(lazyload(User.role_rows)),
        joinedload(DutyDay.general_leader).options(lazyload(User.role_rows)))
    if hall_id:
        q = q.where(DutyDay.hall_id == hall_id)
    return db.session.execute(q.order_by(DutyDay.hall_id).limit(1)).scalar()


def _overrides_on(day: date, hall_id: int | None):
    q = select(DutyOverride).where(DutyOverride.state == APPROVED,
                                   DutyOverride.first_day <= day, DutyOverride.last_day >= day).options(
        joinedload(DutyOverride.substitute).options(lazyload(User.role_rows)),
        joinedload(DutyOverride.requested_by).options(lazyload(User.role_rows)))
    if hall_id:
        q = q.where(DutyOverride.hall_id == hall_id)
    return db.session.execute(q.order_by(DutyOverride.decided_at.desc(), DutyOverride.id.desc())).scalars().all()


def holder_on(day: date, hall_id: int | None = None, at: datetime | None = None, row=False):
    """Return (leader, why) for a day: the roster's leader after 替岗 and leaving the counter."""
    row = duty_day(day, hall_id) if row is False else row
    if row is None:
        return None, ""
    hall_id = row.hall_id
    leader, why = row.leader, ""
    found = _overrides_on(day, hall_id)
    swaps = [o for o in found if o.kind == "days"]
    if swaps:
        leader, why = swaps[0].substitute, f"替岗（{swaps[0].requested_by.name}）"
    if at is None and day == clock.today():
        at = clock.now()
    if at is not None:
        for o in (o for o in found if o.kind == "counter"):
            if o.starts_at <= at < o.ends_at:
                return o.substitute, f"临时替岗至 {clock.local(o.ends_at):%H:%M}（{o.requested_by.name}离岗）"
    return leader, why


def leader_on(day: date, hall_id: int | None = None) -> User | None:
    """Return who actually holds the duty on a day, after overrides and a substitution now."""
    return holder_on(day, hall_id)[0]


def general_leader_on(day: date, hall_id: int | None = None) -> User | None:
    """Return the general duty leader (总值班长) named for a day."""
    row = duty_day(day, hall_id)
    return row.general_leader if row else None


def short_leaves_on(day: date, hall_id: int | None = None) -> dict[int, ShortLeave]:
    """Return each person's approved short leave slip (临时外出) of a day: the latest one."""
    q = select(ShortLeave).where(ShortLeave.day == day)
    if hall_id:
        q = q.where(ShortLeave.hall_id == hall_id)
    return {s.user_id: s for s in db.session.execute(q.order_by(ShortLeave.out_at)).scalars()}


def may_run_desk(user, holder=False) -> bool:
    """Say whether this person may work the desk today (the holder, general duty leader or admin)."""
    from ..roles import Role
    if user.has_role(Role.ADMIN, Role.GENERAL_DUTY):
        return True
    holder = leader_on(clock.today(), user.hall_id) if holder is False else holder
    return holder is not None and holder.id == user.id


def require_desk(user) -> None:
    """Refuse a desk action by a duty leader who does not hold today's duty."""
    if not may_run_desk(user):
        holder = leader_on(clock.today(), user.hall_id)
        who = holder.name if holder else "（未排班）"
        raise DutyError(f"今天的值班长是{who}，您不能在值班台上操作", 422)
