"""Bad-review rectification (差评整改): 核实 → 分类 → 整改 → 回访 → 办结, appeals and 追评.

What needs the center's approval (延期, 综合协调, 无法整改) is asked and decided in approvals.py.
"""
from datetime import datetime
from functools import cache

from sqlalchemy import insert, select

from .. import clock
from ..audit import service as audit
from ..extensions import db
from ..inbox import pulse, worktime
from ..refusals import Refusal
from ..roles import RATING_CENTER
from ..rulebook import service as rules
from . import points
from .models import BAD_LEVELS, KINDS, LEVELS, OPEN_STATES, CaseStep, Rating, RatingCase

NOTE_MAX = 1000


class CaseError(Refusal):
    """A refused step of a bad-review case, told in Chinese."""


def _today():
    return clock.local(clock.now()).date()


def term_due(state: str, kind: str = "") -> datetime:
    """Return the deadline, in working days on the hall's calendar, of the step a state waits for."""
    today = _today()
    if state == "rectify" and kind in ("deadline", "coordinate"):
        return worktime.close_after(today, int(rules.get("evaluation.rectify_days")))
    if state == "rectify" and kind == "fix_now":
        return worktime.close_after(today)
    if state == "callback":
        return worktime.close_after(today, rules.get("evaluation.callback_days"))
    return worktime.close_after(today, rules.get("evaluation.verify_days"))


def add_step(case: RatingCase, action: str, user, note: str = "", to_state: str | None = None,
             **fields) -> CaseStep:
    """Record one step of the case as done now (marked late past the deadline) and move it to to_state."""
    now = clock.now()
    row = CaseStep(case=case, action=action, by_id=getattr(user, "id", None), at=now, note=note,
                   from_state=case.state, to_state=to_state or case.state,
                   late=bool(case.due_at and case.open and case.due_at < now), **fields)
    db.session.add(row)
    if to_state:
        case.state = to_state
    db.session.flush()
    return row


def open_case(rating: Rating, due_at: datetime | None = None) -> RatingCase:
    """Open the case of a bad review for the rated window's unit (due_at: term_due("verify"), if read already)."""
    session = db.session()
    session.flush()  # the rating first, as one flush with the case would have written it
    case_id, made = _opened(session.connection(), rating, due_at or term_due("verify"))
    for model, object_id, values in made:
        audit.record_created(model, object_id, values)
    pulse.bump_now(session.connection(), _halls(rating), session)
    return session.get(RatingCase, case_id)


def open_case_on(connection, rating, due_at: datetime) -> list:
    """Open the case of a bad review in a transaction outside the session (a DriverConnection's).

    The same rows as open_case's, and the same audit rows: returned (Prepared-style, for audit.write_on).
    """
    _case_id, made = _opened(connection, rating, due_at)
    pulse.bump_now(connection, _halls(rating))
    return [audit.created_row(model, object_id, values) for model, object_id, values in made]


def _opened(connection, rating, due_at: datetime) -> tuple[int, list]:
    """Insert the case and its first step (open); return the case's id and what to audit of each.

    Column inserts (no ORM unit of work: the tap's write lock is held for them), audited as the ORM's flush
    audits a new object: the values its constructor was given.
    """
    now = clock.now()
    case = dict(hall_id=rating.hall_id, rating_id=rating.id, department_id=rating.department_id, state="verify",
                due_at=due_at)
    case_id = connection.execute(_insert(RatingCase), {**case, "created_at": now, "updated_at": now}).scalar_one()
    step = dict(case_id=case_id, action="open", by_id=None, at=now, note="", from_state="verify",
                to_state="verify", late=False, due_at=due_at)
    step_id = connection.execute(_insert(CaseStep), step).scalar_one()
    return case_id, [(RatingCase, case_id, case), (CaseStep, step_id, step)]


@cache
def _insert(model):
    table = model.__table__
    return insert(table).returning(table.c.id)


def _halls(rating) -> set:
    """The halls whose inboxes a new case moves: its own, and the acting person's (as the flush's listeners say)."""
    return {rating.hall_id} | ({pulse.acting_hall()} - {None})


def need(case: RatingCase, *states: str) -> None:
    """Refuse a step the case does not wait for, or any step while a request waits for the center."""
    if case.state not in states:
        raise CaseError(f"这件差评现在是“{case.state_label}”，不能做这一步", 409)
    if case.pending:
        raise CaseError(f"这件差评的“{case.pending_label}”申请正在等待中心审批", 409)


def note_of(note: str, required: str = "") -> str:
    """Return the step's note, trimmed; refuse it if missing where required, or too long."""
    note = (note or "").strip()
    if required and not note:
        raise CaseError(required)
    if len(note) > NOTE_MAX:
        raise CaseError(f"说明不超过 {NOTE_MAX} 个字")
    return note


def verify(user, case: RatingCase, note: str) -> CaseStep:
    """Record the verification (核实); the verified bad review costs the unit and the staff their points."""
    need(case, "verify")
    step = add_step(case, "verify", user, note_of(note, "请填写核实情况"), "classify")
    points.charge(case, user)
    return step


def classify(user, case: RatingCase, kind: str, note: str = "") -> CaseStep:
    """Classify the case (立行立改, 限期整改, 解释说明) and set its rectification deadline."""
    need(case, "classify")
    if kind not in KINDS:
        raise CaseError("请选择处理方式")
    if kind == "coordinate":
        raise CaseError("综合协调须报中心批准", 409)
    case.kind, case.due_at = kind, term_due("rectify", kind)
    return add_step(case, "classify", user, note_of(note), "rectify", kind=kind, due_at=case.due_at)


def rectify(user, case: RatingCase, note: str) -> CaseStep:
    """Record what was done (整改, or the explanation given); a named review then waits for its callback."""
    need(case, "rectify")
    named = bool(case.rating.rater_phone)
    step = add_step(case, "rectify", user, note_of(note, "请填写整改情况"), "callback" if named else "closed")
    case.due_at = term_due("callback") if named else None
    step.due_at = case.due_at
    return step


def callback(user, case: RatingCase, note: str) -> CaseStep:
    """Record the callback (回访) and its result, and close the case."""
    need(case, "callback")
    case.due_at = None
    return add_step(case, "callback", user, note_of(note, "请填写回访结果"), "closed")


def appeal(user, case: RatingCase, note: str) -> CaseStep:
    """File the window's appeal (申诉: mistaken or malicious review) for the center to decide."""
    need(case, "verify", "classify", "rectify")
    if any(s.action == "appeal" for s in case.steps):
        raise CaseError("这件差评已经申诉过一次", 409)
    case.due_at = term_due("appealed")
    return add_step(case, "appeal", user, note_of(note, "请填写申诉理由"), "appealed", due_at=case.due_at)


def decide(user, case: RatingCase, upheld: bool, note: str) -> CaseStep:
    """Decide an appeal: upheld makes the review void and restores the points; refused resumes the case."""
    need(case, "appealed")
    if not user.has_role(*RATING_CENTER):
        raise CaseError("申诉由中心审核", 403)
    note = note_of(note, "请填写审核意见")
    if upheld:
        case.due_at = None
        step = add_step(case, "uphold", user, note, "void")
        points.restore(case, user, note)
        return step
    back = next(s.from_state for s in reversed(case.steps) if s.action == "appeal")
    case.due_at = term_due(back, case.kind)
    return add_step(case, "refuse", user, note, back, due_at=case.due_at)


def followup(user, case: RatingCase, level: int, note: str = "") -> CaseStep:
    """Record the rater's 追评 of the rectification; a low one reopens the case for rectification."""
    need(case, "closed")
    if not case.rating.rater_phone:
        raise CaseError("匿名评价没有追评", 409)
    if level not in LEVELS:
        raise CaseError("请选择追评等级")
    low = level in BAD_LEVELS
    step = add_step(case, "followup", user, note_of(note), "rectify" if low else None, level=level)
    if low:  # reopened: whatever was concluded before (无法整改 too) is rectified again
        case.due_at = step.due_at = term_due("rectify", case.kind)
        case.unable = False
    return step


def of_hall(hall_id: int, department_id: int | None = None, states=None) -> list[RatingCase]:
    """Return the hall's cases (of one unit), soonest deadline first."""
    q = select(RatingCase).where(RatingCase.hall_id == hall_id)
    if department_id is not None:
        q = q.where(RatingCase.department_id == department_id)
    if states:
        q = q.where(RatingCase.state.in_(states))
    return db.session.execute(q.order_by(RatingCase.due_at.is_(None), RatingCase.due_at, RatingCase.id)
                              ).scalars().all()


def open_cases(hall_id: int, department_id: int | None = None) -> list[RatingCase]:
    """Return the cases that wait for a step of the unit."""
    return of_hall(hall_id, department_id, OPEN_STATES)
