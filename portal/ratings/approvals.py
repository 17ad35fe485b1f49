"""What a unit asks the center to approve on a bad-review case (审批): 延期, 综合协调, 无法整改.

A request leaves the case where it is, deadline and all, until the center approves it (then the
deadline moves, the case is coordinated by the center, or it is concluded as 无法整改) or refuses it
with a reason. Every request and decision is a case step; one person never decides their own request.
"""
from .. import clock
from ..inbox import worktime
from ..roles import RATING_CENTER
from ..rulebook import service as rules
from . import cases
from .cases import CaseError, add_step, need, note_of, term_due
from .models import REQUESTS, CaseStep, RatingCase

ASK_NOTES = {"extend": "请填写延期理由", "coordinate": "请说明需要中心综合协调的原因",
             "unable": "请说明无法整改的原因"}


def classify(user, case: RatingCase, kind: str, note: str = "") -> CaseStep:
    """Classify the case; 综合协调 is not chosen but asked of the center."""
    if kind == "coordinate":
        return ask(user, case, "coordinate", note)
    return cases.classify(user, case, kind, note)


def _check_extension(case: RatingCase) -> None:
    if case.kind not in ("deadline", "coordinate"):
        raise CaseError("只有限期整改或综合协调的差评可以申请延期", 409)
    if case.extended or any(s.action == "request" and s.kind == "extend" for s in case.steps):
        raise CaseError("这件差评已经申请过一次延期，不能再申请", 409)
    if case.due_at is None or case.due_at <= clock.now():
        raise CaseError("整改期限已过，不能再申请延期", 409)


def ask(user, case: RatingCase, what: str, note: str) -> CaseStep:
    """Ask the center to approve an extension, coordination or 无法整改, with the unit's reasons."""
    if what not in REQUESTS:
        raise CaseError("申请事项无效", 422)
    need(case, "classify" if what == "coordinate" else "rectify")
    if what == "extend":
        _check_extension(case)
    step = add_step(case, "request", user, note_of(note, ASK_NOTES[what]), kind=what)
    case.pending = what
    return step


def pending_request(case: RatingCase) -> CaseStep:
    """Return the step that asked the request the case waits on."""
    return next(s for s in reversed(case.steps) if s.action == "request" and s.kind == case.pending)


def _check_reviewer(user, case: RatingCase) -> CaseStep:
    if not case.pending:
        raise CaseError("这件差评没有等待审批的申请", 409)
    if not user.has_role(*RATING_CENTER):
        raise CaseError(f"{case.pending_label}须由中心审批", 403)
    asked = pending_request(case)
    if asked.by_id == user.id:
        raise CaseError("不能审批自己提出的申请，请由中心其他负责人审批", 403)
    return asked


def review(user, case: RatingCase, approved: bool, note: str) -> CaseStep:
    """Approve the pending request (its effect follows) or refuse it with a reason (nothing moves)."""
    _check_reviewer(user, case)
    what = case.pending
    note = note_of(note, "" if approved else "请填写不批准的理由")
    case.pending = ""
    if not approved:
        return add_step(case, "deny", user, note, kind=what)
    return APPROVED[what](user, case, note)


def _extend(user, case: RatingCase, note: str) -> CaseStep:
    due = clock.local(case.due_at).date()
    case.extended, case.due_at = True, worktime.close_after(due, rules.get("evaluation.extension_days"))
    return add_step(case, "approve", user, note, kind="extend", due_at=case.due_at)


def _coordinate(user, case: RatingCase, note: str) -> CaseStep:
    case.kind, case.due_at = "coordinate", term_due("rectify", "coordinate")
    return add_step(case, "approve", user, note, "rectify", kind="coordinate", due_at=case.due_at)


def _unable(user, case: RatingCase, note: str) -> CaseStep:
    named = bool(case.rating.rater_phone)  # the rater is still told why (回访)
    case.unable, case.due_at = True, term_due("callback") if named else None
    return add_step(case, "approve", user, note, "callback" if named else "closed", kind="unable",
                    due_at=case.due_at)


APPROVED = {"extend": _extend, "coordinate": _coordinate, "unable": _unable}


def waiting(hall_id: int, reviewer_id: int | None = None) -> list[RatingCase]:
    """Return the hall's cases with a request waiting for the center (not one this reviewer asked)."""
    return [c for c in cases.open_cases(hall_id) if c.pending and pending_request(c).by_id != reviewer_id]
