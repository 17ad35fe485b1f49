"""Short leave (临时外出) at the desk, and the day's slips as one printed sheet."""
from datetime import date

from flask import request
from flask_login import current_user

from .. import clock
from ..access import roles
from ..audit import service as audit
from ..extensions import db
from ..htmx import render
from ..once import once
from ..org import service as org
from ..pdf import pdf_response
from ..refusals import refused
from . import bp, leave, leave_pick
from .forms import LeaveForm, ReturnForm
from .service import DutyError, require_desk
from .views import DESK, done


def _picker(user_id=None) -> dict:
    """Return what the picker shows: the picked person, or a window's two posts, or search results."""
    hall_id, a = current_user.hall_id, request.args
    picked = leave_pick.person(hall_id, user_id or a.get("person"))
    if picked:
        return {"picked": picked}
    q = a.get("q", "").strip()[:20]
    return {"picked": None, "q": q, "found": leave_pick.search(hall_id, q) if q else [],
            "window": leave_pick.window(hall_id, a.get("window")), "windows": leave_pick.windows(hall_id)}


def _panel(message="", status=200, form=None):
    """Render the short-leave panel: the picker or the slip form, and who is out."""
    form = form or LeaveForm(formdata=None)
    hall_id, now = current_user.hall_id, clock.now()
    out = [(s, leave.is_overdue(s, now)) for s in leave.out_now(hall_id)]
    picker = _picker(form.user_id.data)
    if picker["picked"]:
        form.user_id.data = str(picker["picked"].user.id)  # the slip form carries the picked person
    return render("duty/leave.html", "duty/_leave.html", status=status, form=form, message=message,
                  ok=status == 200 and bool(message), out=out, today=leave.of_day(hall_id, clock.today()),
                  limit=leave.limit_minutes(), **picker)


@bp.route("/leave")
@roles(*DESK)
def leave_page():
    """Show who is out on short leave, and the form to approve one."""
    return _panel()


@bp.route("/leave/new", methods=["POST"])
@roles(*DESK)
@once
def leave_new():
    """Approve a short leave starting now."""
    form = LeaveForm()
    if not form.validate_on_submit():
        return _panel("请检查填写的内容", 422, form)
    try:
        require_desk(current_user)
        slip = leave.grant(current_user, form.user_id.data, form.minutes.data, form.reason.data)
        db.session.flush()
    except DutyError as e:
        return refused(e, _panel, form=form)
    cover = f"，{slip.covered_by.name}（B岗）替岗" if slip.covered_by else ""
    return done(_panel, f"已批准{slip.user.name}外出至 {clock.local(slip.due_at):%H:%M}{cover}")


@bp.route("/leave/<int:slip_id>/return", methods=["POST"])
@roles(*DESK)
def leave_return(slip_id):
    """Record a return (销假); a time before the departure is refused."""
    form = ReturnForm()
    if not form.validate_on_submit():
        return _panel("请刷新页面后重试", 400)
    try:
        require_desk(current_user)
        slip = leave.record_return(current_user, slip_id, form.at.data or "")
    except DutyError as e:
        return refused(e, _panel)
    return done(_panel, f"{slip.user.name}已于 {clock.local(slip.returned_at):%H:%M} 返回")


@bp.route("/leave/sheet.pdf")
@roles(*DESK)
def leave_sheet():
    """Print the day's leave slips as one sheet for the center office."""
    try:
        day = date.fromisoformat(request.args.get("day", ""))
    except ValueError:
        day = clock.today()
    hall = org.hall_of(current_user)
    audit.record("export.duty_leave_sheet", "hall", hall.id, detail={"day": day.isoformat()})
    db.session.commit()
    return pdf_response("pdf/duty_leave_sheet.html", f"临时外出登记表-{day}.pdf", hall=hall, day=day,
                        slips=leave.of_day(hall.id, day), is_overdue=leave.is_overdue)
