"""Handover (交接班): what is still open passes to the incoming leader when they confirm."""
from datetime import date, timedelta

from sqlalchemy import bindparam, select, update

from .. import clock
from ..auth.models import User
from ..extensions import db
from ..records import hall_record
from ..roles import Role
from . import checks, leave
from .log import search
from .models import CHECK_KINDS, OPEN_STATES, DutyCheck, DutyHandover, DutyLogItem, ShortLeave
from .service import DutyError, bump, holders


def open_items(hall_id: int, day: date) -> dict:
    """Build the handover's content from what is still open."""
    items = search(hall_id, open_only=True, limit=500)
    done = checks.done(hall_id, day)
    return {"log": [i for i in items if i.kind != "fault"], "faults": [i for i in items if i.kind == "fault"],
            "slips": leave.out_now(hall_id),
            "checks": [label for kind, label in CHECK_KINDS.items() if kind not in done]}


def as_text(content: dict) -> str:
    """Freeze the open items as text, so the sheet shows what was handed over."""
    lines = [f"[{i.kind_label}·{i.state_label}] #{i.id} {i.text}" for i in content["log"] + content["faults"]]
    lines += [f"[外出未返回] {s.user.name} {clock.local(s.out_at):%H:%M} 外出" for s in content["slips"]]
    lines += [f"[未完成检查] {label}" for label in content["checks"]]
    return "\n".join(lines)


def start(user, to_user_id, summary: str) -> DutyHandover:
    """Write the outgoing summary and name the incoming leader."""
    to = db.session.get(User, int(to_user_id)) if str(to_user_id or "").isdigit() else None
    if to is None or to.hall_id != user.hall_id or not to.has_role(Role.DUTY_LEADER):
        raise DutyError("请选择接班的值班长")
    if to.id == user.id:
        raise DutyError("不能交接给自己")
    if not (summary or "").strip():
        raise DutyError("请填写本班工作小结")
    waiting = sent_today(user)
    if waiting is not None:
        raise DutyError(f"今天已向{waiting.to_user.name}交班，等待其确认接班", 409)
    content = open_items(user.hall_id, clock.today())
    h = DutyHandover(hall_id=user.hall_id, day=clock.today(), from_user_id=user.id, to_user_id=to.id,
                     summary=summary.strip(), open_items=as_text(content))
    db.session.add(h)
    bump(user.hall_id)
    return h


def handover_for(user, handover_id: int) -> DutyHandover:
    """Return a handover of the person's hall."""
    return hall_record(DutyHandover, handover_id, hall_id=user.hall_id)


def confirm(user, handover_id: int) -> DutyHandover:
    """Confirm a handover as the incoming leader; the open log items become theirs."""
    h = handover_for(user, handover_id)
    if h.to_user_id != user.id:
        raise DutyError(f"只有接班人{h.to_user.name}本人可以确认这份交接")
    if h.confirmed_at is not None:
        raise DutyError("这份交接已经确认", 409)
    h.confirmed_at = clock.now()
    db.session.execute(update(DutyLogItem).where(
        DutyLogItem.hall_id == h.hall_id, DutyLogItem.state.in_(OPEN_STATES))
        .values(owner_id=user.id, version=DutyLogItem.version + 1))
    bump(h.hall_id)
    return h


LOOK_AHEAD_DAYS = 60  # far enough to reach the next term of a two-week rotation over holidays


def next_on_roster(user) -> User | None:
    """Return who holds the desk next after this person, by the roster (the default incoming leader)."""
    today = clock.today()
    ahead = holders(user.hall_id, today + timedelta(days=1), today + timedelta(days=LOOK_AHEAD_DAYS))
    return next((h.leader for h in ahead.values() if h.leader is not None and h.leader.id != user.id), None)


def taken_today(user, recent_ones: list[DutyHandover]) -> DutyHandover | None:
    """Return the handover this person confirmed today as the incoming leader, if any."""
    today = clock.today()
    return next((h for h in recent_ones if h.day == today and h.to_user_id == user.id and h.confirmed_at), None)


def sent_today(user) -> DutyHandover | None:
    """Return today's handover this person gave that is still waiting for the incoming leader."""
    return db.session.execute(select(DutyHandover).where(
        DutyHandover.hall_id == user.hall_id, DutyHandover.day == clock.today(),
        DutyHandover.from_user_id == user.id, DutyHandover.confirmed_at.is_(None)).limit(1)).scalar()


def pending_for(user) -> list[DutyHandover]:
    """Return handovers waiting for this person's confirmation."""
    return db.session.execute(select(DutyHandover).where(
        DutyHandover.to_user_id == user.id, DutyHandover.confirmed_at.is_(None))).scalars().all()


_handover, _giver = DutyHandover.__table__, User.__table__.alias("giver")
_WAITING_FROM = (select(_giver.c.name).select_from(_handover.join(_giver, _giver.c.id == _handover.c.from_user_id))
                 .where(_handover.c.to_user_id == bindparam("user_id"), _handover.c.confirmed_at.is_(None))
                 .order_by(_handover.c.id))


def pending_from(user) -> list[str]:
    """Return the names of those whose handover waits for this person's confirmation (the desk's lines)."""
    return db.session.execute(_WAITING_FROM, {"user_id": user.id}).scalars().all()


def recent(hall_id: int) -> list[DutyHandover]:
    """Return the latest handovers."""
    return db.session.execute(select(DutyHandover).where(DutyHandover.hall_id == hall_id)
                              .order_by(DutyHandover.id.desc()).limit(20)).scalars().all()


def weekly(hall_id: int, monday: date) -> dict:
    """Gather the written weekly summary of a duty week: log, faults, leave slips, checks."""
    sunday = monday + timedelta(days=6)
    items = db.session.execute(select(DutyLogItem).where(
        DutyLogItem.hall_id == hall_id, DutyLogItem.day >= monday, DutyLogItem.day <= sunday)
        .order_by(DutyLogItem.day, DutyLogItem.id)).scalars().all()
    slips = db.session.execute(select(ShortLeave).where(
        ShortLeave.hall_id == hall_id, ShortLeave.day >= monday, ShortLeave.day <= sunday)
        .order_by(ShortLeave.out_at)).scalars().all()
    done = db.session.execute(select(DutyCheck).where(
        DutyCheck.hall_id == hall_id, DutyCheck.day >= monday, DutyCheck.day <= sunday)
        .order_by(DutyCheck.day, DutyCheck.kind)).scalars().all()
    handovers = db.session.execute(select(DutyHandover).where(
        DutyHandover.hall_id == hall_id, DutyHandover.day >= monday, DutyHandover.day <= sunday)
        .order_by(DutyHandover.id)).scalars().all()
    table: dict = {}
    for i in items:
        table.setdefault(i.kind_label, {}).setdefault(i.state_label, 0)
        table[i.kind_label][i.state_label] += 1
    return {"monday": monday, "sunday": sunday, "items": items, "by_kind": table, "slips": slips,
            "checks": done, "handovers": handovers, "faults": [i for i in items if i.kind == "fault"]}
