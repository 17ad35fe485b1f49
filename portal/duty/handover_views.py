"""Handover (交接班) and the printed handover sheet and weekly duty summary."""
from datetime import date, timedelta

from flask import request
from flask_login import current_user

from .. import clock
from ..access import roles
from ..audit import service as audit
from ..extensions import db
from ..forms import ConfirmForm
from ..htmx import render
from ..once import once
from ..org import service as org
from ..pdf import pdf_response
from ..refusals import refused
from . import bp, handover, rotation
from .forms import HandoverForm
from .service import DutyError, require_desk
from .views import DESK, done, people_choices


def _panel(message="", status=200, form=None):
    """Render the handover: waiting confirmations, what is open, and the outgoing form (default: next on roster)."""
    hall_id = current_user.hall_id
    if form is None:
        incoming = handover.next_on_roster(current_user)
        form = HandoverForm(formdata=None, to_user_id=str(incoming.id) if incoming else "")
    form.to_user_id.choices = people_choices([u for u in rotation.eligible(hall_id) if u.id != current_user.id])
    recent, pending = handover.recent(hall_id), handover.pending_for(current_user)
    return render("duty/handover.html", "duty/_handover.html", status=status, form=form, message=message,
                  ok=status == 200 and bool(message), content=handover.open_items(hall_id, clock.today()),
                  pending=pending, recent=recent, taken=handover.taken_today(current_user, recent),
                  sent=handover.sent_today(current_user),
                  outgoing=not pending and handover.taken_today(current_user, recent) is None)


@bp.route("/handover")
@roles(*DESK)
def handover_page():
    """Show what is open, the outgoing summary form and handovers waiting for confirmation."""
    return _panel()


@bp.route("/handover/new", methods=["POST"])
@roles(*DESK)
@once
def handover_new():
    """Hand over to the incoming leader with a summary and the open items."""
    form = HandoverForm()
    if not form.validate_on_submit():
        return _panel("请检查填写的内容", 422, form)
    try:
        require_desk(current_user)
        h = handover.start(current_user, form.to_user_id.data, form.summary.data)
        db.session.flush()
    except DutyError as e:
        return refused(e, _panel, form=form)
    return done(_panel, f"交接单已生成，等待{h.to_user.name}登录确认")


@bp.route("/handover/<int:handover_id>/confirm", methods=["POST"])
@roles(*DESK)
def handover_confirm(handover_id):
    """Confirm a handover as the incoming leader, under one's own login."""
    if not ConfirmForm().validate_on_submit():
        return _panel("请刷新页面后重试", 400)
    try:
        h = handover.confirm(current_user, handover_id)
    except DutyError as e:
        return refused(e, _panel)
    return done(_panel, f"已确认接班，{h.from_user.name}移交的未办结事项由您负责")


@bp.route("/handover/<int:handover_id>.pdf")
@roles(*DESK)
def handover_sheet(handover_id):
    """Print a handover sheet."""
    h = handover.handover_for(current_user, handover_id)
    audit.record("export.duty_handover", "duty_handover", h.id)
    db.session.commit()
    return pdf_response("pdf/duty_handover.html", f"交接班记录-{h.day}.pdf", hall=org.hall_of(current_user), h=h)


@bp.route("/weekly.pdf")
@roles(*DESK)
def weekly_pdf():
    """Print the weekly duty summary (值班周报) of a week (default: this week)."""
    try:
        day = date.fromisoformat(request.args.get("week", ""))
    except ValueError:
        day = clock.today()
    monday = day - timedelta(days=day.weekday())
    hall = org.hall_of(current_user)
    audit.record("export.duty_weekly", "hall", hall.id, detail={"week": monday.isoformat()})
    db.session.commit()
    return pdf_response("pdf/duty_weekly.html", f"值班周报-{monday}.pdf", hall=hall,
                        **handover.weekly(hall.id, monday))
