"""The duty desk's inbox sources: handovers to confirm, 替岗/离岗 to approve, short leave overdue."""
from datetime import datetime

from flask import url_for
from sqlalchemy import select
from sqlalchemy.orm import joinedload, lazyload

from .. import clock
from ..auth.models import User
from ..extensions import db
from ..inbox import registry, worktime
from ..roles import Role
from ..rulebook import calendar
from . import checks, rotation, service
from .models import CHECK_KINDS, PENDING, DutyHandover, ShortLeave
from .views import DECIDERS


def init_app(_app) -> None:
    """Register the duty sources with the inbox."""
    registry.register("duty.handover", handovers, label="交接班确认", roles=(Role.DUTY_LEADER,),
                      watches=("duty_handover",))
    registry.register("duty.override", overrides, label="替岗与离岗审批", roles=DECIDERS,
                      watches=("duty_override",))
    registry.register("duty.leave", slips_overdue, label="外出超时", watches=("duty_short_leave",), desk=True)
    registry.register("duty.checks", checks_due, label="开闭厅检查", watches=("duty_check",), desk=True)
    # Who holds the desk moves with the roster and approved overrides: desk items follow them.
    registry.register_desk_holder(desk_holder, watches=("duty_day", "duty_override"), holder_id=desk_holder_id)


def desk_holder(hall_id: int, now: datetime):
    """Return who holds the hall's desk now (the roster after 替岗 and leaving the counter)."""
    return service.holder(hall_id, clock.local(now).date(), at=now).leader


def desk_holder_id(hall_id: int, now: datetime) -> int | None:
    """Return the id of whoever holds the hall's desk now (desk_holder's person, read as columns)."""
    return service.holder_id(hall_id, clock.local(now).date(), at=now)


def handovers(person, hall_id: int, now: datetime) -> list[registry.Item]:
    """Handovers waiting for the incoming leader's confirmation: due when the next working day opens."""
    return [registry.Item(
        source="duty.handover", title="交接班待确认", detail=f"{h.from_user.name}于{h.day:%m月%d日}向您交班",
        link=url_for("duty.handover_page"), deadline=worktime.opening(calendar.next_working_day(h.day)),
        record_type="duty_handover", record_id=h.id, severity="warn")
        for h in registry.shared(_unconfirmed, hall_id).get(person.id, [])]


def _unconfirmed(hall_id: int) -> dict[int, list[DutyHandover]]:
    """The hall's handovers waiting for confirmation, by who confirms them (their givers read at once)."""
    rows = db.session.execute(select(DutyHandover).where(DutyHandover.hall_id == hall_id,
                                                         DutyHandover.confirmed_at.is_(None))
                              .options(joinedload(DutyHandover.from_user).options(lazyload(User.role_rows)))
                              .order_by(DutyHandover.id)).scalars().all()
    out: dict[int, list[DutyHandover]] = {}
    for h in rows:
        out.setdefault(h.to_user_id, []).append(h)
    return out


def _pending_overrides(hall_id: int):
    rows = rotation.overrides(hall_id, pending_only=True)
    ids = {o.requested_by_id for o in rows} | {o.substitute_id for o in rows}
    if ids:  # the names the items give, in one query
        db.session.execute(select(User).where(User.id.in_(ids)).options(lazyload(User.role_rows))).scalars().all()
    return rows


def overrides(person, hall_id: int, now: datetime) -> list[registry.Item]:
    """Requests to approve: a 替岗 before its first day opens, leaving the counter before it starts."""
    today = clock.local(now).date()
    items = []
    for o in registry.shared(_pending_overrides, hall_id):
        if o.state != PENDING or o.last_day < today:
            continue  # a request for days gone by can no longer be decided
        counter = o.kind == "counter"
        deadline = o.starts_at if counter else (worktime.opening(o.first_day) or worktime.close_after(o.first_day))
        detail = (f"{o.requested_by.name}申请{clock.local(o.starts_at):%H:%M}-{clock.local(o.ends_at):%H:%M}离岗，"
                  f"由{o.substitute.name}替岗" if counter else
                  f"{o.requested_by.name}申请{o.first_day:%m月%d日}至{o.last_day:%m月%d日}由{o.substitute.name}替岗")
        items.append(registry.Item(
            source="duty.override", title="离岗申请待审批" if counter else "替岗申请待审批", detail=detail,
            link=url_for("duty.overrides"), deadline=deadline, record_type="duty_override", record_id=o.id,
            severity="urgent" if counter else "warn"))
    return items


def slips_overdue(person, hall_id: int, now: datetime) -> list[registry.Item]:
    """Short leave slips not returned by their time, for whoever holds the desk (shown once overdue)."""
    return [registry.Item(
        source="duty.leave", title="外出超时未归", link=url_for("duty.leave_page"),
        detail=f"{s.user_name}应于{clock.local(s.due_at):%H:%M}返回，请核实并登记销假",
        deadline=s.due_at, starts=s.due_at, record_type="duty_short_leave", record_id=s.id, severity="urgent")
        for s in registry.shared(_out_now, hall_id)]


def _out_now(hall_id: int) -> list:
    """leave.out_now's slips as the items need them: id, due time and the person's name, in one query."""
    return db.session.execute(
        select(ShortLeave.id, ShortLeave.due_at, User.name.label("user_name")).join(User, User.id == ShortLeave.user_id)
        .where(ShortLeave.hall_id == hall_id, ShortLeave.returned_at.is_(None), ShortLeave.closed_at.is_(None))
        .order_by(ShortLeave.out_at)).all()


def checks_due(person, hall_id: int, now: datetime) -> list[registry.Item]:
    """Today's opening check (by opening time) and closing check (by closing time) not yet done."""
    today = clock.local(now).date()
    if not worktime.spans(today):
        return []
    done = registry.shared(checks.done, hall_id, today)
    due = {"opening": checks.opening_time(today), "closing": worktime.closing(today)}
    return [registry.Item(
        source="duty.checks", title=f"{label}未完成", detail=f"今天的{label}尚未登记", severity="warn",
        link=url_for("duty.check", kind=kind), deadline=due[kind], record_type="duty_check",
        record_id=f"{today.isoformat()}-{kind}") for kind, label in CHECK_KINDS.items() if kind not in done]
