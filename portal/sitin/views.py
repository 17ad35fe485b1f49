"""Pages of the leader sit-in (领导坐班): the week view, booking, cancelling, the department view, .ics."""
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
from ..inbox import worktime
from ..once import once
from ..org import service as org
from ..refusals import refused
from ..roles import SITIN_BOOKERS, SITIN_VIEWERS, Role
from ..rulebook import service as rules
from . import booking, bp, ics, weekview
from .forms import BookingForm, CancelForm
from .helpers import admin_department, arg_day

# --- the week view and booking ----------------------------------------------------------

def _week_panel(monday: date, message: str = "", level: str = "ok", status: int = 200):
    monday = booking.monday_of(monday)
    admin = current_user.has_role(Role.ADMIN)
    dept_id = admin_department() if admin else current_user.department_id
    can_book = current_user.has_role(*SITIN_BOOKERS)
    columns, status_of = weekview.week_page(current_user.hall_id, monday, dept_id, bool(can_book and dept_id))
    return render("sitin/week.html", "sitin/_week.html", status=status, monday=monday, columns=columns,
                  prev=monday - timedelta(weeks=1), next=monday + timedelta(weeks=1),
                  this_monday=booking.monday_of(clock.today()), can_book=can_book, admin=admin,
                  dept_id=dept_id, week=status_of, left=worktime.time_left(status_of.deadline) if status_of else "",
                  units=org.departments(current_user.hall_id, "window_unit", True) if admin else [],
                  message=message, level=level)


@bp.route("/week")
@roles(*SITIN_VIEWERS)
def week():
    """Show a week of sit-ins, morning and afternoon, with free desks to book."""
    default = booking.monday_of(clock.today())
    if current_user.has_role(Role.WINDOW_LEADER):
        default += timedelta(weeks=1)
    return _week_panel(arg_day("start") or default)


@bp.route("/book", methods=["POST"])
@roles(*SITIN_BOOKERS)
@once
def book():
    """Book a half day or a full day of sit-in for the department."""
    form = BookingForm()
    if not form.validate_on_submit():
        return _week_panel(clock.today(), "请刷新页面后重试", "error", status=400)
    day = clock.today()
    try:
        day = booking.parse_day(form.day.data)
        rows = booking.book(current_user, form.department_id.data or None, day, form.half.data or "",
                            form.note.data or "")
    except booking.SitInError as error:
        return refused(error, lambda message, status: _week_panel(day, message, "error", status))
    label = "全天" if len(rows) == 2 else rows[0].half_label
    if rows[0].filed_late:  # booked, but after the deadline: a warning, not a success
        return _week_panel(day, f"已预约 {day:%m月%d日}{label}坐班，但已过报备截止时间，记为报备逾期", "warn")
    return _week_panel(day, f"已预约 {day:%m月%d日}{label}坐班")


def _cancel_panel(row, message: str, level: str = "ok", status: int = 200):
    """Answer a cancel in the panel it came from: the department view or the week view."""
    if request.headers.get("HX-Target") == "sitin-department":
        return _department_panel(row.department_id, message, level, status)
    return _week_panel(row.day, message, level, status)


@bp.route("/bookings/<int:booking_id>/cancel", methods=["POST"])
@roles(*SITIN_BOOKERS)
def cancel(booking_id):
    """Cancel a booking; after the deadline with a reason (the record is kept)."""
    form = CancelForm()
    row = booking.booking_for(current_user, booking_id)
    if not form.validate_on_submit():
        return _cancel_panel(row, "请刷新页面后重试", "error", 400)
    try:
        booking.cancel(current_user, row, form.reason.data)
    except booking.SitInError as error:
        return refused(error, lambda message, status: _cancel_panel(row, message, "error", status))
    return _cancel_panel(row, f"已取消 {row.day:%m月%d日}坐班")


# --- the department view and the .ics feed ---------------------------------------------------

def _department_panel(dept_id: int | None, message: str = "", level: str = "ok", status: int = 200):
    units = org.departments(current_user.hall_id, "window_unit", True)
    dept = next((d for d in units if d.id == dept_id), None)
    return render("sitin/department.html", "sitin/_department.html", status=status, dept=dept,
                  units=units if current_user.has_role(Role.ADMIN) else [],
                  weeks=weekview.department_weeks(dept.id, dept.hall_id) if dept else [],
                  past=weekview.past_sitins(dept.id) if dept else [], today=clock.today(),
                  message=message, level=level)


@bp.route("/department")
@roles(*SITIN_BOOKERS)
def department():
    """Show a department's coming weeks: filed or not, the deadline, and its sit-ins."""
    dept_id = current_user.department_id
    if current_user.has_role(Role.ADMIN):
        dept_id = admin_department() or dept_id
    return _department_panel(dept_id)


@bp.route("/calendar-token", methods=["POST"])
@roles(*SITIN_BOOKERS)
def calendar_token():
    """Create the private calendar subscription link of the signed-in leader."""
    if not ConfirmForm().validate_on_submit():
        return _department_panel(current_user.department_id, "请刷新页面后重试", "error", 400)
    weekview.ensure_calendar_token(current_user)
    return _department_panel(current_user.department_id, "已生成日历订阅链接")


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
    with rules.in_hall(user.hall_id):  # nobody signs in to read a feed: its person's hall's office hours
        body = ics.feed(user, org.hall_of(user).name)
    return body, 200, {"Content-Type": "text/calendar; charset=utf-8", "Cache-Control": "no-store"}

