"""Leave pages (请假/销假): ask, decide the current step, emergency leave at the desk, paperwork, coming back."""
from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from ..access import roles
from ..duty import service as duty
from ..extensions import db
from ..htmx import render
from ..once import once
from ..records import hall_record, refuse_record
from ..refusals import Refusal, refused
from ..roles import DESK, READERS
from . import bp, leave, leave_list, points
from .forms import DecisionForm, EmergencyLeaveForm, LeaveForm
from .leave_models import LeaveRequest

WAITING_FOR = {"director": "值班主任", "unit": "单位负责人", "center": "中心主任"}


def _page(message="", status=200, form=None, emergency=None):
    hall_id, me = current_user.hall_id, current_user
    desk = duty.may_run_desk(me) if me.has_role(*DESK) else False
    if desk and emergency is None:
        emergency = EmergencyLeaveForm(formdata=None)
    if emergency is not None:
        emergency.user_id.choices = [(p.id, p.name) for p in leave_list.people(hall_id)]
    return render_template("attendance/leave/index.html", form=form or LeaveForm(formdata=None),
                           emergency=emergency, mine=leave_list.of_person(me.id),
                           waiting=leave_list.waiting_for(me), recent=leave_list.recent(me),
                           message=message), status


@bp.route("/leave")
@roles(*READERS)
def leave_page():
    """Show my leave requests, the form to ask, and the requests waiting for my decision."""
    return _page()


@bp.route("/leave/new", methods=["POST"])
@roles(*READERS)
@once
def leave_new():
    """Ask for leave; it goes to the first approver of its chain."""
    form = LeaveForm()
    if not form.validate_on_submit():
        return _page("请检查填写的内容", 422, form=form)
    try:
        row = leave.ask(current_user, current_user, form.kind.data, form.reason.data, form.first_day.data,
                        form.first_half.data, form.last_day.data, form.last_half.data)
        db.session.commit()
    except Refusal as e:
        return refused(e, _page, form=form)
    flash(f"请假单已提交：{row.window_label}，共 {row.days:g} 天", "ok")
    return redirect(url_for("attendance.leave_detail", leave_id=row.id), 303)


@bp.route("/leave/emergency", methods=["POST"])
@roles(*DESK)
@once
def leave_emergency():
    """Record emergency leave phoned in to the desk (紧急请假); the paperwork is due later."""
    form = EmergencyLeaveForm()
    form.user_id.choices = [(p.id, p.name) for p in leave_list.people(current_user.hall_id)]
    if not form.validate_on_submit():
        return _page("请检查填写的内容", 422, emergency=form)
    try:
        row = leave.record_emergency(current_user, form.user_id.data, form.kind.data, form.reason.data,
                                     form.first_day.data, form.first_half.data, form.last_day.data,
                                     form.last_half.data)
        points.recheck_leave(row, current_user)
        duty.bump(row.hall_id)
        db.session.commit()
    except Refusal as e:
        return refused(e, _page, emergency=form)
    flash(f"已登记{row.user.name}的紧急请假，须在 {row.paperwork_due} 前补办手续", "ok")
    return redirect(url_for("attendance.leave_detail", leave_id=row.id), 303)


def _detail(leave_id, message="", status=200):
    row = hall_record(LeaveRequest, leave_id)
    if not leave_list.may_see(current_user, row):
        refuse_record(LeaveRequest.__tablename__, leave_id, "not their leave request")
    form = DecisionForm(formdata=None)
    form.substitute_id.choices = [(0, "请选择")] + [(p.id, p.name) for p in leave_list.colleagues(row)]
    answer = render("attendance/leave/detail.html", "attendance/leave/_detail.html", leave=row, form=form,
                    step=leave.current_step(row), may_decide=leave.may_decide(current_user, row),
                    return_due=leave.return_due(row), may_desk=duty.may_run_desk(current_user),
                    waiting_for=WAITING_FOR, message=message)
    answer.status_code = status
    return answer


@bp.route("/leave/<int:leave_id>")
@roles(*READERS)
def leave_detail(leave_id):
    """Show one leave request and every decision on it."""
    return _detail(leave_id)


def _act(leave_id, action, done: str):
    try:
        action()
        db.session.commit()
    except Refusal as e:
        return refused(e, lambda message, status: _detail(leave_id, message, status))
    flash(done, "ok")
    return redirect(url_for("attendance.leave_detail", leave_id=leave_id), 303)


@bp.route("/leave/<int:leave_id>/decide", methods=["POST"])
@roles(*READERS)
def leave_decide(leave_id):
    """Approve or refuse the step waiting for this person."""
    hall_record(LeaveRequest, leave_id)  # another hall's request is a 404 before anything else
    form = DecisionForm()
    if not form.validate_on_submit():
        return _detail(leave_id, "请选择同意或不同意", 422)
    approve = form.decision.data == "approve"

    def decide():
        row = leave.decide(current_user, leave_id, approve, form.note.data, form.substitute_id.data or None)
        if row.state == "approved":
            points.recheck_leave(row, current_user)  # a leave approved late takes back the days' absences
            duty.bump(row.hall_id)  # the desk grid shows the window covered
    return _act(leave_id, decide, "已同意" if approve else "已不同意，请假单结束")


@bp.route("/leave/<int:leave_id>/paperwork", methods=["POST"])
@roles(*READERS)
def leave_paperwork(leave_id):
    """Record the written slip of an emergency leave (补办手续)."""
    return _act(leave_id, lambda: leave.file_paperwork(current_user, leave_id), "已补办请假手续")


@bp.route("/leave/<int:leave_id>/return", methods=["POST"])
@roles(*READERS)
def leave_return(leave_id):
    """Report coming back from leave (销假)."""
    return _act(leave_id, lambda: leave.report_return(current_user, leave_id), "已销假")
