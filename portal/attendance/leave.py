"""Leave requests (请假/销假): the approval chain by duration, emergency leave, the monthly cap, coming back."""
from datetime import date, datetime

from sqlalchemy import bindparam, exists, func, select

from .. import clock
from ..auth.models import User, UserRole
from ..duty import service as duty
from ..extensions import db
from ..records import hall_record
from ..refusals import Refusal
from ..roles import READERS, Role
from ..rulebook import calendar
from ..rulebook import service as rules
from . import hours as office
from .leave_models import KINDS, LeaveDirector, LeaveRequest, LeaveStep

CHAINS = {"director": ("director",), "center": ("unit", "center")}
ORDER = {"am": 0, "pm": 1}


class LeaveError(Refusal):
    """A refused leave action; the message is shown to the person."""


def halves_between(first: date, first_half: str, last: date, last_half: str) -> list[tuple[date, str]]:
    """Return the working half days from (first, half) to (last, half), both included."""
    out = []
    for day in calendar.working_days(first, last):
        for half in office.HALVES:
            if (day, ORDER[half]) >= (first, ORDER[first_half]) and (day, ORDER[half]) <= (last, ORDER[last_half]):
                out.append((day, half))
    return out


def chain_for(halves: int) -> str:
    """Return the approval chain of a leave this long: up to a day the director, longer the unit and center."""
    return "center" if halves >= 2 * rules.get("attendance.center_approval_days") else "director"


def _check_window(kind, reason, first, first_half, last, last_half) -> list:
    if kind not in KINDS:
        raise LeaveError("请选择请假类别")
    if not (reason or "").strip():
        raise LeaveError("请填写请假事由")
    if first_half not in ORDER or last_half not in ORDER or (last, ORDER[last_half]) < (first, ORDER[first_half]):
        raise LeaveError("请假结束时间不能早于开始时间")
    halves = halves_between(first, first_half, last, last_half)
    if not halves:
        raise LeaveError("所选时间内没有工作日，无需请假")
    return halves


def _check_cap(person, first: date) -> None:
    start = first.replace(day=1)
    end = date(start.year + start.month // 12, start.month % 12 + 1, 1)
    taken = db.session.execute(select(func.count(LeaveRequest.id)).where(
        LeaveRequest.user_id == person.id, LeaveRequest.state != "refused",
        LeaveRequest.first_day >= start, LeaveRequest.first_day < end)).scalar_one()
    cap = rules.get("attendance.max_leaves_per_month")
    if taken >= cap:
        raise LeaveError(f"{person.name}本月已请假 {taken} 次，每人每月最多 {cap} 次", 409)


def _check_overlap(person, halves) -> None:
    first, last = halves[0][0], halves[-1][0]
    mine = covering(person.hall_id, first, last, states=("pending", "approved"), user_id=person.id)
    if any(h in mine.get(person.id, {}) for h in halves):
        raise LeaveError("这段时间已有请假单", 409)


def ask(person, by, kind, reason, first, first_half, last, last_half, emergency=False) -> LeaveRequest:
    """Ask for leave (请假) for a window of half days; the chain follows its length."""
    halves = _check_window(kind, reason, first, first_half, last, last_half)
    _check_cap(person, first)
    _check_overlap(person, halves)
    leave = LeaveRequest(hall_id=person.hall_id, user_id=person.id, department_id=person.department_id, kind=kind,
                         reason=reason.strip()[:300], first_day=first, first_half=first_half, last_day=last,
                         last_half=last_half, halves=len(halves), chain=chain_for(len(halves)),
                         emergency=emergency, created_by_id=by.id, created_at=clock.now())
    db.session.add(leave)
    db.session.flush()
    return leave


def record_emergency(leader, user_id, kind, reason, first, first_half, last, last_half) -> LeaveRequest:
    """Record emergency leave phoned in to the desk; the paperwork is due within the rulebook's working days."""
    duty.require_desk(leader)
    person = hall_record(User, int(user_id), hall_id=leader.hall_id)
    leave = ask(person, leader, kind, reason, first, first_half, last, last_half, emergency=True)
    leave.state = "approved"
    leave.paperwork_due = calendar.add_working_days(clock.today(), rules.get("attendance.emergency_paperwork_days"))
    _step(leave, "emergency", "recorded", leader, "电话请假，值班长登记")
    return leave


def current_step(leave: LeaveRequest) -> str | None:
    """Return the chain step waiting for a decision, or None once decided."""
    if leave.state != "pending":
        return None
    return next((s for s in CHAINS[leave.chain] if leave.step_row(s) is None), None)


def director_ids(hall_id: int) -> set[int]:
    """Return who approves leave up to a day: the person the hall named, else its general duty leaders."""
    named = named_director(hall_id)
    if named and named.user.active:  # a named director who left: the general duty leaders decide again
        return {named.user_id}
    return set(db.session.execute(select(User.id).where(*_general_duty(hall_id))).scalars())  # ids, no rows


def general_duty_leaders(hall_id: int) -> list[User]:
    """Return the hall's active general duty leaders (总值班长), who approve leave unless another is named."""
    return db.session.execute(select(User).where(*_general_duty(hall_id))
                              .order_by(User.name)).scalars().all()  # only the leaders, not the whole hall


def _general_duty(hall_id: int) -> tuple:
    held = select(UserRole.user_id).where(UserRole.role == Role.GENERAL_DUTY.value)
    return User.hall_id == hall_id, User.active.is_(True), User.id.in_(held)


def named_director(hall_id: int) -> LeaveDirector | None:
    """Return the hall's own choice of duty director (值班主任), if it named one."""
    return db.session.execute(select(LeaveDirector).where(LeaveDirector.hall_id == hall_id)).scalar()


def name_director(hall_id: int, user_id: int, by) -> LeaveDirector | None:
    """Name who approves the hall's leave up to a day; 0 goes back to its general duty leaders."""
    row = named_director(hall_id)
    if not user_id:
        if row is not None:
            db.session.delete(row)  # the audit log keeps who was named, by whom, and when it ended
        return None
    who = hall_record(User, user_id, hall_id=hall_id)
    if not who.active or not who.has_role(*READERS):
        raise LeaveError("请选择本大厅在岗的工作人员")
    if row is None:
        row = LeaveDirector(hall_id=hall_id, user_id=who.id, named_by_id=by.id, named_at=clock.now())
        db.session.add(row)
    elif row.user_id != who.id:
        row.user_id, row.named_by_id, row.named_at = who.id, by.id, clock.now()
    db.session.flush()
    return row


def may_decide(user, leave: LeaveRequest, step: str | None = None, *, directors: set | None = None) -> bool:
    """Say whether this person decides the step (the current one by default; directors: director_ids, if read)."""
    step = step or current_step(leave)
    if step is None or user.id == leave.user_id or user.hall_id != leave.hall_id:
        return False
    if step == "director":
        return user.id in (director_ids(leave.hall_id) if directors is None else directors)
    if step == "unit":
        return user.has_role(Role.WINDOW_LEADER) and user.department_id == leave.department_id
    return user.has_role(Role.ADMIN)  # the center director (中心主任)


def _step(leave, step, decision, by, note="", at=None) -> LeaveStep:
    row = LeaveStep(leave_id=leave.id, step=step, decision=decision, by_id=by.id, at=at or clock.now(),
                    note=(note or "").strip()[:300])
    db.session.add(row)
    leave.steps.append(row)
    return row


def _substitute(leave, substitute_id):
    who = db.session.get(User, int(substitute_id)) if str(substitute_id or "").isdigit() else None
    if who is None or who.hall_id != leave.hall_id or who.id == leave.user_id or not who.active:
        raise LeaveError("请指定请假期间顶岗的人员")
    return who


def decide(user, leave_id: int, approve: bool, note: str = "", substitute_id=None) -> LeaveRequest:
    """Approve or refuse the current step; a refusal ends the request, the last approval grants it."""
    leave = hall_record(LeaveRequest, leave_id, hall_id=user.hall_id)
    step = current_step(leave)
    if step is None:
        raise LeaveError("这张请假单已经审批完毕", 409)
    if not may_decide(user, leave, step):
        raise LeaveError("这一步不由您审批", 403)
    if approve and step == "unit":
        leave.substitute_id = _substitute(leave, substitute_id).id
    if not approve and not (note or "").strip():
        raise LeaveError("不同意时请填写理由")
    _step(leave, step, "approved" if approve else "refused", user, note)
    if not approve:
        leave.state = "refused"
    elif current_step(leave) is None:
        leave.state = "approved"
    return leave


def file_paperwork(user, leave_id: int) -> LeaveRequest:
    """Record the written slip of an emergency leave (补办手续), refused once it is overdue."""
    leave = hall_record(LeaveRequest, leave_id, hall_id=user.hall_id)
    if not leave.emergency or leave.step_row("paperwork"):
        raise LeaveError("这张请假单不需要补办手续", 409)
    if clock.today() > leave.paperwork_due:
        raise LeaveError(f"补办期限 {leave.paperwork_due} 已过，这段时间按旷工处理", 409)
    if user.id != leave.user_id and not duty.may_run_desk(user):
        raise LeaveError("只有本人或值班长可以补办手续", 403)
    _step(leave, "paperwork", "recorded", user)
    return leave


def return_due(leave: LeaveRequest) -> datetime:
    """Return when coming back must be reported (销假): when lateness starts in the first half after the leave."""
    day, half = (leave.last_day, "pm") if leave.last_half == "am" else (calendar.next_working_day(leave.last_day), "am")
    block = office.day_hours(day)[half]
    return block.due_in + block.late_grace


def report_return(user, leave_id: int) -> LeaveRequest:
    """Report coming back (销假): by the person or at the desk."""
    leave = hall_record(LeaveRequest, leave_id, hall_id=user.hall_id)
    if leave.state != "approved" or leave.step_row("return"):
        raise LeaveError("这张请假单不能销假", 409)
    if user.id != leave.user_id and not duty.may_run_desk(user):
        raise LeaveError("只有本人或值班长可以销假", 403)
    _step(leave, "return", "recorded", user)
    return leave


def is_overrun(leave: LeaveRequest, now: datetime) -> bool:
    """Say whether coming back was not reported in time (超假)."""
    due, back = return_due(leave), leave.step_row("return")
    reported = clock.local(back.at).replace(tzinfo=None) if back else None
    return (reported or now) > due


def counts(leave: LeaveRequest, today: date) -> bool:
    """Say whether an approved leave covers its days: emergency leave only while its paperwork is not overdue."""
    if leave.state != "approved":
        return False
    return _in_force(leave.emergency, leave.step_row("paperwork") is not None, leave.paperwork_due, today)


def _in_force(emergency: bool, papers_done: bool, paperwork_due: date | None, today: date) -> bool:
    return not emergency or papers_done or today <= paperwork_due


def covering(hall_id: int, first: date, last: date, states=("approved",), user_id=None) -> dict:
    """Return {user_id: {(day, half): leave}} of leave in these states overlapping the range."""
    q = select(LeaveRequest).where(LeaveRequest.hall_id == hall_id, LeaveRequest.state.in_(states),
                                   LeaveRequest.first_day <= last, LeaveRequest.last_day >= first)
    if user_id is not None:
        q = q.where(LeaveRequest.user_id == user_id)
    out, today = {}, clock.today()
    for leave in db.session.execute(q).scalars():
        if "pending" not in states and not counts(leave, today):
            continue
        for h in halves_between(leave.first_day, leave.first_half, leave.last_day, leave.last_half):
            out.setdefault(leave.user_id, {})[h] = leave
    return out


_leaves, _steps = LeaveRequest.__table__, LeaveStep.__table__
# The desk asks on every poll that changed: one statement of columns, built once.
_PAPERS_DONE = exists().where(_steps.c.leave_id == _leaves.c.id, _steps.c.step == "paperwork")
_APPROVED_ON = (select(_leaves.c.user_id, _leaves.c.first_day, _leaves.c.first_half, _leaves.c.last_day,
                       _leaves.c.last_half, _leaves.c.emergency, _leaves.c.paperwork_due, _PAPERS_DONE.label("papers"))
                .where(_leaves.c.hall_id == bindparam("hall_id"), _leaves.c.state == "approved",
                       _leaves.c.first_day <= bindparam("day"), _leaves.c.last_day >= bindparam("day")))


def away_now(hall_id: int, now: datetime) -> set[int]:
    """Return who is on leave that counts at this moment (the desk shows their window covered).

    The same answer as covering() for this half day, read as columns.
    """
    wall, today = clock.local(now).replace(tzinfo=None), clock.today()
    day = wall.date()
    rows = [r for r in db.session.execute(_APPROVED_ON, {"hall_id": hall_id, "day": day})
            if _in_force(r.emergency, bool(r.papers), r.paperwork_due, today)]
    if not rows or not calendar.is_working_day(day):  # a rest day has no working halves, so no leave covers it
        return set()
    half = ORDER["am" if wall < office.noon(office.day_hours(day)) else "pm"]
    return {r.user_id for r in rows
            if (r.first_day, ORDER[r.first_half]) <= (day, half) <= (r.last_day, ORDER[r.last_half])}
