"""Register complaint cases and hand them between owners (首问负责、派单、签收、退单)."""
import secrets
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from .. import clock
from ..duty import log as duty_log
from ..duty.service import require_desk
from ..extensions import db
from ..masking import mask_name
from ..org.models import Department, Window
from ..refusals import Refusal
from ..roles import Role
from .deadlines import day_of, pending_send
from .models import CHANNELS, KINDS, OPEN_STATES, Complaint, ComplaintStep

# Who runs complaints for the whole hall: sees every case, sends any case, calls back.
CENTER = (Role.ADMIN, Role.GENERAL_DUTY, Role.DUTY_LEADER, Role.SUPERVISOR)
CODE_DIGITS = 6
NUMBER_ATTEMPTS = 5  # registrations racing for the day's next number, each retried at most this often


class ComplaintError(Refusal):
    """A refused complaint action; the message is shown to the person."""


def step(case: Complaint, name: str, by=None, **fields) -> ComplaintStep:
    """Append a step to the case's history (never edited afterwards)."""
    row = ComplaintStep(step=name, round=case.round, at=fields.pop("at", None) or clock.now(),
                        by_id=getattr(by, "id", None), **fields)
    case.steps.append(row)
    return row


def _number(hall_id: int, day) -> str:
    """Return the day's next case number (yyyymmdd + a three-digit count) after the highest taken."""
    prefix = f"{day:%Y%m%d}"
    highest = db.session.execute(select(func.max(Complaint.number)).where(
        Complaint.hall_id == hall_id, Complaint.number.like(f"{prefix}%"))).scalar_one()
    return f"{prefix}{int(highest[len(prefix):]) + 1 if highest else 1:03d}"


def _save_numbered(case: Complaint, day) -> None:
    """Add the case under the day's next number; a case registered at the same moment takes the next one.

    The unique (hall, number) key decides between two registrations racing for a number: the later
    one's insert fails (PostgreSQL waits for the first to commit), and it reads the highest again.
    """
    for _ in range(NUMBER_ATTEMPTS):
        case.number = _number(case.hall_id, day)
        try:
            with db.session.begin_nested():
                db.session.add(case)
            return
        except IntegrityError:
            continue
    raise ComplaintError("受理编号分配冲突，请稍后重试", 409)


def _in_hall(model, object_id, hall_id: int, message: str):
    if object_id in (None, "", 0):
        return None
    row = db.session.get(model, int(object_id))
    if row is None or row.hall_id != hall_id:
        raise ComplaintError(message)
    return row


def register(user, *, channel: str, kind: str, text: str, name: str = "", phone: str = "", window_id=None,
             department_id=None, received_at: datetime | None = None, work_order: str | None = None) -> Complaint:
    """Register a case; whoever takes it first is its first-asked owner and the clock starts now."""
    if channel not in CHANNELS:
        raise ComplaintError("请选择投诉渠道")
    if kind not in KINDS:
        raise ComplaintError("请选择类别")
    if not (text or "").strip():
        raise ComplaintError("请填写反映的问题")
    window = _in_hall(Window, window_id, user.hall_id, "没有这个窗口")
    unit = _in_hall(Department, department_id, user.hall_id, "没有这个单位")
    if window and not unit:
        unit = window.department
    received_at = received_at or clock.now()
    code = f"{secrets.randbelow(10 ** CODE_DIGITS):0{CODE_DIGITS}d}"
    case = Complaint(hall_id=user.hall_id, query_code=code, channel=channel, kind=kind,
                     name=(name or "").strip(), phone=(phone or "").strip(), window_id=getattr(window, "id", None),
                     department_id=getattr(unit, "id", None), text=text.strip(), received_at=received_at,
                     first_owner_id=user.id, round_start=day_of(received_at), work_order=work_order)
    step(case, "registered", user, at=received_at)
    _save_numbered(case, day_of(received_at))
    return case


def log_at_desk(user, case: Complaint) -> None:
    """Enter a case taken at the duty desk as the desk's log item of kind complaint, linked both ways."""
    require_desk(user)
    item = duty_log.create(user, "complaint", f"投诉件 {case.number}（{case.kind_label}）：{case.text}",
                           case.window_id, people=mask_name(case.name))
    case.duty_log_item_id = item.id


def log_item_links(item_ids) -> dict[int, tuple[str, str]]:
    """Return the case behind each of these duty-log items as (its number, its page), by item id."""
    from flask import url_for
    rows = db.session.execute(select(Complaint.id, Complaint.number, Complaint.duty_log_item_id)
                              .where(Complaint.duty_log_item_id.in_(list(item_ids))))
    return {item_id: (f"投诉件 {number}", url_for("complaints.case", case_id=case_id))
            for case_id, number, item_id in rows}


def is_center(user) -> bool:
    """Say whether the person runs complaints for the whole hall."""
    return user.has_role(*CENTER)


def leads_unit(user, unit_id) -> bool:
    """Say whether the person leads the handling unit (or is the center's admin)."""
    return user.has_role(Role.ADMIN) or (user.has_role(Role.WINDOW_LEADER) and unit_id is not None
                                         and user.department_id == unit_id)


def may_see(user, case: Complaint) -> bool:
    """Say whether the person may open the case."""
    if is_center(user) or case.first_owner_id == user.id:
        return True
    return user.has_role(Role.WINDOW_LEADER) and user.department_id in (case.unit_id, case.department_id)


def _require_state(case: Complaint, *states: str, message: str) -> None:
    if case.state not in states:
        raise ComplaintError(message, 409)


def send(user, case: Complaint, unit_id) -> ComplaintStep:
    """Send the case to a unit of the hall (派单); the first-asked owner keeps it until the unit accepts."""
    _require_state(case, "received", message="该件已派出或已签收，不能再派单")
    if not (is_center(user) or case.first_owner_id == user.id):
        raise ComplaintError("只有首问责任人或值班人员可以派单")
    unit = db.session.get(Department, int(unit_id)) if str(unit_id or "").isdigit() else None
    if unit is None or unit.hall_id != case.hall_id:
        raise ComplaintError("只能派给本大厅的单位")
    case.state, case.unit_id = "sent", unit.id
    return step(case, "sent", user, unit_id=unit.id)


def accept(user, case: Complaint) -> ComplaintStep:
    """Accept the case for the unit (签收): from now on the unit owns it."""
    _require_state(case, "sent", message="该件不在待签收状态")
    if not leads_unit(user, case.unit_id):
        raise ComplaintError("只有承办单位负责人可以签收")
    case.state = "accepted"
    return step(case, "accepted", user, unit_id=case.unit_id)


def give_back(user, case: Complaint, rule: str, reason: str) -> ComplaintStep:
    """Return the case (退单) citing the unit's rule; it goes back to its first-asked owner, clock running."""
    _require_state(case, "sent", message="该件不在待签收状态，不能退单")
    if not leads_unit(user, case.unit_id):
        raise ComplaintError("只有承办单位负责人可以退单")
    rule, reason = (rule or "").strip(), (reason or "").strip()
    if not rule or not reason:
        raise ComplaintError("退单须写明理由并引用本单位的职责依据")
    row = step(case, "returned", user, unit_id=case.unit_id, value=rule[:30], note=reason)
    case.state, case.unit_id = "received", None
    return row


def escalate_unsigned(case: Complaint, now: datetime, accept_by: datetime) -> ComplaintStep | None:
    """Escalate a hand-off neither accepted nor returned in time to the general duty leader, once."""
    sent = pending_send(case.steps)
    if sent is None or now <= accept_by:
        return None
    key = f"complaint-escalated:{sent.id}"
    if any(s.key == key for s in case.steps):
        return None
    return step(case, "escalated", unit_id=sent.unit_id, key=key, note="承办单位超时未签收也未退单")


def returns_by_unit(hall_id: int) -> dict[int, int]:
    """Return how many cases each unit has returned (退单次数)."""
    rows = db.session.execute(
        select(ComplaintStep.unit_id, func.count()).join(Complaint)
        .where(Complaint.hall_id == hall_id, ComplaintStep.step == "returned").group_by(ComplaintStep.unit_id))
    return dict(rows.all())


def cases(hall_id: int, open_only: bool = True, limit: int = 200, *, owners: bool = True) -> list[Complaint]:
    """Return the hall's cases, newest first (open ones only by default; owners=False: first owners not read)."""
    loads = (selectinload(Complaint.steps), selectinload(Complaint.unit))
    q = (select(Complaint).where(Complaint.hall_id == hall_id)
         .options(*loads, *((selectinload(Complaint.first_owner),) if owners else ())))
    if open_only:
        q = q.where(Complaint.state.in_(OPEN_STATES + ("replied",)))
    return db.session.execute(q.order_by(Complaint.id.desc()).limit(limit)).scalars().all()


def visible_cases(user, open_only: bool = True) -> list[Complaint]:
    """Return the cases this person may open."""
    return [c for c in cases(user.hall_id, open_only) if may_see(user, c)]
