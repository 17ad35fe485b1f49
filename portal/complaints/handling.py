"""Handle an accepted case: pause, extension, verification, reply, callback, reopening, praise."""
from .. import clock
from ..auth.models import User
from ..extensions import db
from ..roles import Role
from . import deadlines, points
from .models import VERDICTS, VERIFIED, VIEWS, Complaint, ComplaintStep
from .service import ComplaintError, _require_state, is_center, leads_unit, step


def _handler(user, case: Complaint) -> None:
    if not leads_unit(user, case.unit_id):
        raise ComplaintError("只有承办单位负责人可以办理")


def _note(text: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ComplaintError(message)
    return text


def pause(user, case: Complaint, note: str) -> ComplaintStep:
    """Stop the clock while the complainant supplies material (补充材料)."""
    _require_state(case, "accepted", message="只有承办中的件可以暂停")
    _handler(user, case)
    case.state = "paused"
    return step(case, "paused", user, note=_note(note, "请写明需要补充的材料"))


def resume(user, case: Complaint, note: str = "") -> ComplaintStep:
    """Start the clock again once the material is in."""
    _require_state(case, "paused", message="该件没有暂停")
    _handler(user, case)
    case.state = "accepted"
    return step(case, "resumed", user, note=(note or "").strip())


def ask_extension(user, case: Complaint, reason: str) -> ComplaintStep:
    """Ask once, before the reply deadline, for more working days (申请延期)."""
    _require_state(case, "accepted", message="只有承办中的件可以申请延期")
    _handler(user, case)
    if deadlines.last(deadlines.round_steps(case), "extension_asked"):
        raise ComplaintError("每件只能申请一次延期", 409)
    due = deadlines.of(case).reply_by
    if due is None or clock.now() >= due:
        raise ComplaintError("已超过答复期限，不能再申请延期")
    return step(case, "extension_asked", user, note=_note(reason, "请写明延期理由"))


def extension_pending(case: Complaint) -> ComplaintStep | None:
    """Return the extension request waiting for the center's decision, if any."""
    steps = deadlines.round_steps(case)
    asked = deadlines.last(steps, "extension_asked")
    decided = any(s.step in ("extension_approved", "extension_refused") for s in steps)
    return asked if asked and not decided else None


def decide_extension(user, case: Complaint, approve: bool, note: str = "") -> ComplaintStep:
    """Approve or refuse the extension request (中心审批)."""
    if not user.has_role(Role.ADMIN):
        raise ComplaintError("延期由中心审批")
    if extension_pending(case) is None:
        raise ComplaintError("没有待审批的延期申请", 409)
    name = "extension_approved" if approve else "extension_refused"
    return step(case, name, user, value=str(clock.today()), note=(note or "").strip())


def verify(user, case: Complaint, verdict: str, note: str, staff_id=None, serious: bool = False) -> ComplaintStep:
    """Record what the unit found (属实/部分属实/不属实); a verified complaint costs points."""
    _require_state(case, "accepted", message="只有承办中的件可以核实")
    _handler(user, case)
    if verdict not in VERDICTS:
        raise ComplaintError("请选择核实结果")
    staff = None
    if str(staff_id or "").isdigit():
        staff = db.session.get(User, int(staff_id))
        if staff is None or staff.hall_id != case.hall_id:
            raise ComplaintError("没有这个工作人员")
    row = step(case, "verified", user, value=verdict, staff_id=getattr(staff, "id", None),
               note=_note(note, "请填写核实情况"))
    if verdict in VERIFIED and case.kind == "complaint":
        db.session.flush()
        points.charge_verified(case, row, staff, serious, user)
    return row


def verified(case: Complaint) -> ComplaintStep | None:
    """Return the verification of the current round, if any."""
    return deadlines.last(deadlines.round_steps(case), "verified")


def reply(user, case: Complaint, text: str) -> ComplaintStep:
    """Record the formal reply to the complainant (答复), after verification."""
    _require_state(case, "accepted", message="只有承办中的件可以答复")
    _handler(user, case)
    if verified(case) is None:
        raise ComplaintError("请先核实，再答复")
    row = step(case, "replied", user, note=_note(text, "请填写答复内容"))
    case.state = "replied"
    return row


def callback(user, case: Complaint, view: str, note: str = "") -> ComplaintStep:
    """Record the callback (回访); a dissatisfied complainant within the window reopens the case."""
    if case.state != "replied":
        raise ComplaintError("答复之后才能回访", 409)
    if not is_center(user):
        raise ComplaintError("回访由中心值班人员进行")
    if view not in VIEWS:
        raise ComplaintError("请选择群众的评价")
    row = step(case, "callback", user, value=view, note=(note or "").strip())
    reopen_by = deadlines.of(case).reopen_by
    if view == "dissatisfied" and reopen_by and clock.now() <= reopen_by:
        case.round, case.round_start, case.state = case.round + 1, clock.today(), "accepted"
        step(case, "reopened", user, unit_id=case.unit_id, note="回访不满意，重新办理")
    else:
        case.state = "closed"
    return row


def praise(user, case: Complaint, note: str, staff_id=None) -> ComplaintStep:
    """Record a praise or thanks letter (表扬、感谢信) and its bonus, and close the case."""
    if case.kind != "praise":
        raise ComplaintError("只有表扬件可以登记表扬")
    if case.state == "closed":
        raise ComplaintError("该件已办结", 409)
    if not is_center(user):
        raise ComplaintError("表扬由中心登记")
    staff = db.session.get(User, int(staff_id)) if str(staff_id or "").isdigit() else None
    if staff is not None and staff.hall_id != case.hall_id:
        raise ComplaintError("没有这个工作人员")
    row = step(case, "praise", user, staff_id=getattr(staff, "id", None), note=_note(note, "请填写表扬内容"))
    case.state = "closed"
    db.session.flush()
    points.credit_praise(case, row, staff, user)
    return row
