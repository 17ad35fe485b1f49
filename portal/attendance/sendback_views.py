"""The year's send-back thresholds (退回原单位): the flags with their evidence, and the center's decision."""
from datetime import timedelta

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from .. import clock
from ..access import roles
from ..auth.models import User
from ..extensions import db
from ..once import once
from ..records import hall_record
from ..refusals import Refusal, refused
from ..roles import ATTENDANCE_KEEPERS, Role
from . import bp, sendback
from .forms import SendBackForm


def _year() -> int:
    return request.values.get("year", type=int) or clock.today().year


def _page(message="", status=200, form=None, form_for=None):
    year, hall_id = _year(), current_user.hall_id
    decided = sendback.decisions(hall_id, year)
    # Up to yesterday, as the daily close counts: a day under way is not yet anyone's absence.
    flags = sendback.flags(hall_id, year, clock.today() - timedelta(days=1))
    flags.sort(key=lambda f: not any(d is None for _f, d in decided.get(f.person.id, [])))  # to decide first
    return render_template("attendance/sendback.html", year=year, message=message, form_for=form_for,
                           flags=flags, decided=decided,
                           form=form or SendBackForm(formdata=None), blank=SendBackForm(formdata=None),
                           may_decide=current_user.has_role(Role.ADMIN)), status


@bp.route("/sendback")
@roles(*ATTENDANCE_KEEPERS)
def sendback_page():
    """List the people over the year's send-back thresholds, with the days behind each and what was decided."""
    return _page()


@bp.route("/sendback/<int:user_id>/decide", methods=["POST"])
@roles(Role.ADMIN)
@once
def sendback_decide(user_id):
    """Record the center director's decision on a flagged person (退回原单位, or kept with a talk)."""
    person = hall_record(User, user_id)
    form = SendBackForm()
    if not form.validate_on_submit():
        return _page("请检查填写的内容", 422, form=form, form_for=user_id)
    try:
        rows = sendback.decide(current_user, person, _year(), form.decision.data, form.note.data)
        db.session.commit()
    except Refusal as e:
        return refused(e, _page, form=form, form_for=user_id)
    flash(f"已记录对{person.name}的研究意见：{rows[0].decision_label}", "ok")
    return redirect(url_for("attendance.sendback_page", year=_year()), 303)
