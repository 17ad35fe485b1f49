"""Bad-review rectification (差评整改): 核实 → 分类 → 整改 → 回访 → 办结, appeals, one extension, 追评."""
from datetime import datetime

from sqlalchemy import select

from .. import clock
from ..extensions import db
from ..inbox import worktime
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
    if state == "rectify" and kind == "deadline":
        return worktime.close_after(today, int(rules.get("evaluation.rectify_days")))
    if state == "rectify" and kind == "fix_now":
        return worktime.close_after(today)
    if state == "callback":
        return worktime.close_after(today, rules.get("evaluation.callback_days"))
    return worktime.close_after(today, rules.get("evaluation.verify_days"))


def _step(case: RatingCase, action: str, user, note: str = "", to_state: str | None = None, **fields) -> CaseStep:
    now = clock.now()
    step = CaseStep(case_id=case.id, action=action, by_id=getattr(user, "id", None), at=now, note=note,
                    from_state=case.state, to_state=to_state or case.state,
                    late=bool(case.due_at and case.open and case.due_at < now), **fields)
    db.session.add(step)
    if to_state:
        case.state = to_state
    db.session.flush()
    return step


def open_case(rating: Rating) -> RatingCase:
    """Open the case of a bad review for the rated window's unit."""
    case = RatingCase(hall_id=rating.hall_id, rating_id=rating.id, department_id=rating.department_id,
                      state="verify", due_at=term_due("verify"))
    db.session.add(case)
    db.session.flush()
    _step(case, "open", None, due_at=case.due_at)
    return case


def _need(case: RatingCase, *states: str) -> None:
    if case.state not in states:
        raise CaseError(f"这件差评现在是“{case.state_label}”，不能做这一步", 409)


def _note(note: str, required: str = "") -> str:
    note = (note or "").strip()
    if required and not note:
        raise CaseError(required)
    if len(note) > NOTE_MAX:
        raise CaseError(f"说明不超过 {NOTE_MAX} 个字")
    return note


def verify(user, case: RatingCase, note: str) -> CaseStep:
    """Record the verification (核实); the verified bad review costs the unit and the staff their points."""
    _need(case, "verify")
    step = _step(case, "verify", user, _note(note, "请填写核实情况"), "classify")
    points.charge(case, user)
    return step


def classify(user, case: RatingCase, kind: str, note: str = "") -> CaseStep:
    """Classify the case (立行立改, 限期整改, 解释说明) and set its rectification deadline."""
    _need(case, "classify")
    if kind not in KINDS:
        raise CaseError("请选择处理方式")
    case.kind, case.due_at = kind, term_due("rectify", kind)
    return _step(case, "classify", user, _note(note), "rectify", kind=kind, due_at=case.due_at)


def rectify(user, case: RatingCase, note: str) -> CaseStep:
    """Record what was done (整改, or the explanation given); a named review then waits for its callback."""
    _need(case, "rectify")
    named = bool(case.rating.rater_phone)
    step = _step(case, "rectify", user, _note(note, "请填写整改情况"), "callback" if named else "closed")
    case.due_at = term_due("callback") if named else None
    step.due_at = case.due_at
    return step


def callback(user, case: RatingCase, note: str) -> CaseStep:
    """Record the callback (回访) and its result, and close the case."""
    _need(case, "callback")
    case.due_at = None
    return _step(case, "callback", user, _note(note, "请填写回访结果"), "closed")


def extend(user, case: RatingCase, note: str) -> CaseStep:
    """Extend a 限期整改 deadline once (延期), asked before it expires."""
    _need(case, "rectify")
    if case.kind != "deadline":
        raise CaseError("只有限期整改的差评可以申请延期", 409)
    if case.extended:
        raise CaseError("这件差评已经延期过一次，不能再延期", 409)
    if case.due_at is None or case.due_at <= clock.now():
        raise CaseError("整改期限已过，不能再申请延期", 409)
    due = clock.local(case.due_at).date()
    case.extended, case.due_at = True, worktime.close_after(due, rules.get("evaluation.extension_days"))
    return _step(case, "extend", user, _note(note, "请填写延期理由"), due_at=case.due_at)


def appeal(user, case: RatingCase, note: str) -> CaseStep:
    """File the window's appeal (申诉: mistaken or malicious review) for the center to decide."""
    _need(case, "verify", "classify", "rectify")
    if any(s.action == "appeal" for s in case.steps):
        raise CaseError("这件差评已经申诉过一次", 409)
    case.due_at = term_due("appealed")
    return _step(case, "appeal", user, _note(note, "请填写申诉理由"), "appealed", due_at=case.due_at)


def decide(user, case: RatingCase, upheld: bool, note: str) -> CaseStep:
    """Decide an appeal: upheld makes the review void and restores the points; refused resumes the case."""
    _need(case, "appealed")
    if not user.has_role(*RATING_CENTER):
        raise CaseError("申诉由中心审核", 403)
    note = _note(note, "请填写审核意见")
    if upheld:
        case.due_at = None
        step = _step(case, "uphold", user, note, "void")
        points.restore(case, user, note)
        return step
    back = next(s.from_state for s in reversed(case.steps) if s.action == "appeal")
    case.due_at = term_due(back, case.kind)
    return _step(case, "refuse", user, note, back, due_at=case.due_at)


def followup(user, case: RatingCase, level: int, note: str = "") -> CaseStep:
    """Record the rater's 追评 of the rectification; a low one reopens the case for rectification."""
    _need(case, "closed")
    if not case.rating.rater_phone:
        raise CaseError("匿名评价没有追评", 409)
    if level not in LEVELS:
        raise CaseError("请选择追评等级")
    low = level in BAD_LEVELS
    step = _step(case, "followup", user, _note(note), "rectify" if low else None, level=level)
    if low:
        case.due_at = step.due_at = term_due("rectify", case.kind)
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
