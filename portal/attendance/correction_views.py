"""补卡 pages: a person asks for a missed punch to be corrected; the duty leader decides."""
from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from ..access import roles
from ..duty import service as duty
from ..extensions import db
from ..once import once
from ..records import hall_record
from ..refusals import Refusal, refused
from ..roles import DESK, READERS
from . import bp, corrections, points
from .forms import CorrectionForm, DecisionForm
from .leave_models import PunchCorrection


def _page(message="", status=200, form=None):
    desk = current_user.has_role(*DESK) and duty.may_run_desk(current_user)
    return render_template("attendance/corrections.html", form=form or CorrectionForm(formdata=None),
                           mine=corrections.of_person(current_user.id), decide=DecisionForm(formdata=None),
                           waiting=corrections.pending(current_user.hall_id) if desk else [],
                           message=message), status


@bp.route("/corrections")
@roles(*READERS)
def corrections_page():
    """Show my 补卡 requests and the form; the duty leader also sees those waiting for a decision."""
    return _page()


@bp.route("/corrections/new", methods=["POST"])
@roles(*READERS)
@once
def correction_new():
    """Ask for a missed punch to be corrected (补卡)."""
    form = CorrectionForm()
    if not form.validate_on_submit():
        return _page("请检查填写的内容", 422, form=form)
    try:
        corrections.ask(current_user, form.day.data, form.time.data, form.reason.data)
        db.session.commit()
    except Refusal as e:
        return refused(e, _page, form=form)
    flash("补卡申请已提交，等待值班长审批", "ok")
    return redirect(url_for("attendance.corrections_page"), 303)


@bp.route("/corrections/<int:correction_id>/decide", methods=["POST"])
@roles(*DESK)
def correction_decide(correction_id):
    """Approve or refuse a 补卡 request; an approval takes back the day's charges, a refusal lets a 缺卡 be charged."""
    hall_record(PunchCorrection, correction_id)  # another hall's request is a 404 before anything else
    form = DecisionForm()
    if not form.validate_on_submit():
        return _page("请选择同意或不同意", 422)
    try:
        row = corrections.decide(current_user, correction_id, form.decision.data == "approve")
        points.recheck(row.user, row.day, current_user)  # approved: charges taken back; refused: a late 缺卡 is due
        db.session.commit()
    except Refusal as e:
        return refused(e, _page)
    flash(f"已{'同意' if row.state == 'approved' else '不同意'}{row.user.name}的补卡申请", "ok")
    return redirect(url_for("attendance.corrections_page"), 303)
