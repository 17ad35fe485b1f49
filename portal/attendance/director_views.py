"""Naming the hall's leave duty director (值班主任): who approves leave up to a day instead of the 总值班长."""
from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from ..access import roles
from ..extensions import db
from ..once import once
from ..refusals import Refusal, refused
from ..roles import Role
from . import bp, leave, leave_list
from .forms import DirectorForm


def _page(message="", status=200, form=None):
    hall_id = current_user.hall_id
    form = form or DirectorForm(formdata=None)
    named = leave.named_director(hall_id)
    form.user_id.choices = [(0, "不另行指定（由总值班长审批）")] + [(p.id, p.name) for p in leave_list.people(hall_id)]
    if named is not None and not form.is_submitted():
        form.user_id.data = named.user_id
    return render_template("attendance/director.html", form=form, named=named, message=message,
                           generals=leave.general_duty_leaders(hall_id)), status


@bp.route("/director")
@roles(Role.ADMIN)
def director_page():
    """Show who approves leave up to a day, and the form to name another person."""
    return _page()


@bp.route("/director", methods=["POST"])
@roles(Role.ADMIN)
@once
def director_name():
    """Name the hall's leave duty director (or go back to the general duty leaders)."""
    form = DirectorForm()
    form.user_id.choices = []
    if not form.validate_on_submit():
        return _page("请检查填写的内容", 422, form=form)
    try:
        row = leave.name_director(current_user.hall_id, form.user_id.data or 0, current_user)
        db.session.commit()
    except Refusal as e:
        return refused(e, _page, form=form)
    who = row.user.name if row else "总值班长"
    flash(f"一天以内的请假今后由{who}审批", "ok")
    return redirect(url_for("attendance.director_page"), 303)
