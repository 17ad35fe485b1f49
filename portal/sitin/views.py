"""Pages of the leader sit-in (领导坐班): week view, booking, check-in, register, bulletin."""
from datetime import date, timedelta

from flask import abort, request
from flask_login import current_user
from sqlalchemy import select

from .. import clock
from ..access import public, roles
from ..auth.models import User
from ..extensions import db
from ..forms import ConfirmForm
from ..htmx import render
from ..once import once
from ..org import service as org
from ..roles import Role
from . import bp, ics, service, weekview
from .forms import BookingForm, CancelForm

VIEWERS = (Role.ADMIN, Role.WINDOW_LEADER, Role.DUTY_LEADER, Role.GENERAL_DUTY, Role.SUPERVISOR)
BOOKERS = (Role.ADMIN, Role.WINDOW_LEADER)
DESK = (Role.DUTY_LEADER, Role.GENERAL_DUTY, Role.ADMIN)


def _refuse(error: service.SitInError):
    """Turn a refused record-level action into 403/404 (nothing was stored)."""
    db.session.rollback()
    abort(error.status)  # a 403 is audited by the error handler, like every refusal


def _arg_day(name: str) -> date | None:
    try:
        return date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None


# --- the week view and booking ----------------------------------------------------------

def _week_panel(monday: date, message: str = "", ok: bool = False, status: int = 200):
    monday = service.monday_of(monday)
    admin = current_user.has_role(Role.ADMIN)
    dept_id = _admin_dept() if admin else current_user.department_id
    can_book = current_user.has_role(*BOOKERS)
    status_of = weekview.week_status(dept_id, current_user.hall_id, monday) if can_book and dept_id else None
    return render("sitin/week.html", "sitin/_week.html", status=status, monday=monday,
                  columns=weekview.week_grid(current_user.hall_id, monday, dept_id),
                  prev=monday - timedelta(weeks=1), next=monday + timedelta(weeks=1),
                  this_monday=service.monday_of(clock.today()), can_book=can_book, admin=admin,
                  dept_id=dept_id, week=status_of, left=weekview.time_left(status_of.deadline) if status_of else "",
                  units=org.departments(current_user.hall_id, "window_unit", True) if admin else [],
                  message=message, ok=ok, form=BookingForm(), cancel_form=CancelForm())


def _admin_dept() -> int | None:
    raw = request.values.get("department_id", "")
    return int(raw) if raw.isdigit() else None


@bp.route("/week")
@roles(*VIEWERS)
def week():
    """Show a week of sit-ins, morning and afternoon, with free desks to book."""
    default = service.monday_of(clock.today())
    if current_user.has_role(Role.WINDOW_LEADER):
        default += timedelta(weeks=1)
    return _week_panel(_arg_day("start") or default)


@bp.route("/book", methods=["POST"])
@roles(*BOOKERS)
@once
def book():
    """Book a half day or a full day of sit-in for the department."""
    form = BookingForm()
    if not form.validate_on_submit():
        return _week_panel(clock.today(), "请刷新页面后重试", status=400)
    try:
        day = service.parse_day(form.day.data)
    except service.SitInError as error:
        return _week_panel(clock.today(), error.message, status=error.status)
    try:
        rows = service.book(current_user, form.department_id.data or None, day, form.half.data or "",
                            form.note.data or "")
    except service.SitInError as error:
        if error.status in (403, 404):
            _refuse(error)
        db.session.rollback()
        return _week_panel(day, error.message, status=error.status)
    late = "（已过报备截止时间，记为报备逾期）" if rows[0].filed_late else ""
    label = "全天" if len(rows) == 2 else rows[0].half_label
    return _week_panel(day, f"已预约 {day:%m月%d日}{label}坐班{late}", ok=True)


@bp.route("/bookings/<int:booking_id>/cancel", methods=["POST"])
@roles(*BOOKERS)
def cancel(booking_id):
    """Cancel a booking; after the deadline with a reason (the record is kept)."""
    form = CancelForm()
    back_to_department = request.headers.get("HX-Target") == "sitin-department"
    try:
        booking = service.booking_for(current_user, booking_id)
    except service.SitInError as error:
        _refuse(error)
    day, message, status = booking.day, f"已取消 {booking.day:%m月%d日}坐班", 200
    if not form.validate_on_submit():
        message, status = "请刷新页面后重试", 400
    else:
        try:
            service.cancel(current_user, booking, form.reason.data)
        except service.SitInError as error:
            db.session.rollback()
            message, status = error.message, error.status
    if back_to_department:
        return _department_panel(booking.department_id, message, ok=status == 200, status=status)
    return _week_panel(day, message, ok=status == 200, status=status)


# --- the department view and the .ics feed ---------------------------------------------------

def _department_panel(dept_id: int | None, message: str = "", ok: bool = False, status: int = 200):
    units = org.departments(current_user.hall_id, "window_unit", True)
    dept = next((d for d in units if d.id == dept_id), None)
    return render("sitin/department.html", "sitin/_department.html", status=status, dept=dept,
                  units=units if current_user.has_role(Role.ADMIN) else [],
                  weeks=weekview.department_weeks(dept.id, dept.hall_id) if dept else [],
                  past=weekview.past_sitins(dept.id) if dept else [], today=clock.today(),
                  message=message, ok=ok, cancel_form=CancelForm(), actions=ConfirmForm())


@bp.route("/department")
@roles(*BOOKERS)
def department():
    """Show a department's coming weeks: filed or not, the deadline, and its sit-ins."""
    dept_id = current_user.department_id
    if current_user.has_role(Role.ADMIN):
        dept_id = _admin_dept() or dept_id
    return _department_panel(dept_id)


@bp.route("/calendar-token", methods=["POST"])
@roles(*BOOKERS)
def calendar_token():
    """Create the private calendar subscription link of the signed-in leader."""
    if ConfirmForm().validate_on_submit():
        weekview.ensure_calendar_token(current_user)
    return _department_panel(current_user.department_id, "已生成日历订阅链接", ok=True)


@bp.route("/calendar/<token>.ics")
@public
def ics_feed(token):
    """Serve a leader's department sit-ins as an iCalendar feed (the token is the key)."""
    if len(token) < 16:
        abort(404)
    user = db.session.execute(select(User).where(User.calendar_token == token,
                                                 User.active.is_(True))).scalar()
    if user is None or not user.department_id:
        abort(404)
    body = ics.feed(user, org.hall_of(user).name)
    return body, 200, {"Content-Type": "text/calendar; charset=utf-8", "Cache-Control": "no-store"}


from . import desk_views  # noqa: E402,F401
