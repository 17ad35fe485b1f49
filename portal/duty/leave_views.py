"""Short leave (临时外出) at the desk, and the day's slips as one printed sheet."""
from datetime import date

from flask import request
from flask_login import current_user
from sqlalchemy import select

from .. import clock
from ..access import roles
from ..audit import service as audit
from ..auth.models import User
from ..extensions import db
from ..htmx import render
from ..once import once
from ..org import service as org
from ..pdf import pdf_response
from . import bp, leave
from .forms import LeaveForm, ReturnForm
from .service import DutyError, require_desk
from .views import DESK, done, fail


def _staff():
    return db.session.execute(select(User).where(User.hall_id == current_user.hall_id, User.active.is_(True),
                                                 User.window_id.is_not(None)).order_by(User.name)).scalars().all()


def _panel(message="", status=200, form=None):
    form = form or LeaveForm(formdata=None)
    form.user_id.choices = [("", "请选择")] + [(str(u.id), u.name) for u in _staff()]
    hall_id, now = current_user.hall_id, clock.now()
    return render("duty/leave.html", "duty/_leave.html", status=status, form=form, message=message,
                  ok=status == 200 and bool(message), out=[(s, leave.is_overdue(s, now)) for s in leave.out_now(hall_id)],
                  today=leave.of_day(hall_id, clock.today()), limit=leave.limit_minutes(), ret=ReturnForm(formdata=None))


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
        return _panel(*fail(e), form=form)
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
        return _panel(*fail(e))
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
