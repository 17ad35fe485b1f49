"""Check-in at the duty desk, the leader's note, the compliance register and its bulletin."""
from datetime import timedelta

from flask import abort, redirect, request, url_for
from flask_login import current_user

from .. import clock
from ..access import roles
from ..audit import service as audit
from ..documents import service as numbers
from ..extensions import db
from ..forms import ConfirmForm
from ..htmx import hx_redirect, is_htmx, render
from ..notices import service as notices
from ..once import once
from ..org import service as org
from ..pdf import pdf_response, render_pdf
from ..refusals import refused
from ..roles import AUTHORS, DESK, SITIN_BOOKERS, SITIN_REGISTER
from . import booking, bp, checkin
from . import register as reg
from .forms import NoteForm
from .helpers import arg_day


def _today_panel(message: str = "", level: str = "ok", status: int = 200):
    return render("sitin/today.html", "sitin/_today.html", status=status, day=clock.today(),
                  items=checkin.expected_on(clock.today(), current_user.hall_id),
                  may_record=checkin.may_record(current_user), message=message, level=level)


@bp.route("/today")
@roles(*DESK)
def today():
    """List today's expected sit-ins with one-tap arrived and absent buttons."""
    return _today_panel()


@bp.route("/today/<int:booking_id>/<outcome>", methods=["POST"])
@roles(*DESK)
@once
def check(booking_id, outcome):
    """Mark a department's leader arrived (now) or absent today."""
    if outcome not in ("arrived", "absent"):
        abort(404)
    if not ConfirmForm().validate_on_submit():
        return _today_panel("请刷新页面后重试", "error", status=400)
    try:
        visit = checkin.check_in(current_user, booking_id, outcome == "arrived")
    except booking.SitInError as error:
        return refused(error, lambda message, status: _today_panel(message, "error", status))
    word = f"已到岗 {clock.local(visit.arrived_at):%H:%M}" if visit.arrived_at else "缺席"
    if visit.checked_late:
        return _today_panel(f"{visit.department.name}：{word}（坐班时段已结束，记为补登）", "warn")
    return _today_panel(f"{visit.department.name}：{word}")


def _note_panel(visit, form, message: str = "", level: str = "ok", status: int = 200):
    return render("sitin/note.html", "sitin/_note.html", status=status, visit=visit, form=form,
                  message=message, level=level)


@bp.route("/visits/<int:visit_id>/note", methods=["GET", "POST"])
@roles(*SITIN_BOOKERS)
@once
def note(visit_id):
    """Write the sit-in record: what was looked at, solved and proposed."""
    visit, form = checkin.visit_for(current_user, visit_id), NoteForm()
    if request.method == "GET":
        return _note_panel(visit, form)
    if not form.validate_on_submit():
        return _note_panel(visit, form, "请检查填写的内容", "error", 422)
    try:
        checkin.write_note(current_user, visit, form.looked_at.data, form.solved.data, form.proposed.data)
    except booking.SitInError as error:
        return refused(error, lambda message, status: _note_panel(visit, form, message, "error", status))
    return _note_panel(visit, form, "坐班记录已保存")


# --- the compliance register and the bulletin ---------------------------------------------------

def _period():
    """Read ?month=YYYY-MM or ?week=YYYY-MM-DD (default: last week)."""
    month = request.args.get("month", "")
    if len(month) == 7 and month[:4].isdigit() and month[5:].isdigit() and 1 <= int(month[5:]) <= 12:
        return "month", (int(month[:4]), int(month[5:]))
    start = arg_day("week") or booking.monday_of(clock.today()) - timedelta(weeks=1)
    return "week", booking.monday_of(start)


def _rows(kind, value):
    if kind == "month":
        return reg.month_register(current_user.hall_id, *value)
    return reg.week_register(current_user.hall_id, value)


@bp.route("/register")
@roles(*SITIN_REGISTER)
def register():
    """Show each department's filing, days booked and attended, and notes, for a week or month."""
    kind, value = _period()
    return render("sitin/register.html", "sitin/_register.html", kind=kind, value=value,
                  rows=_rows(kind, value), timedelta=timedelta)


@bp.route("/bulletin.pdf")
@roles(*AUTHORS)
def bulletin():
    """Print the bulletin (通报) of departments that broke the sit-in rules."""
    kind, value = _period()
    hall = org.hall_of(current_user)
    audit.record("export.sitin_bulletin", "hall", hall.id, detail={"period": str(value)})
    db.session.commit()
    return pdf_response("pdf/sitin_bulletin.html", "领导坐班情况通报.pdf", **reg.bulletin(hall, kind, value))


@bp.route("/bulletin/post", methods=["POST"])
@roles(*AUTHORS)
@once
def post_bulletin():
    """Post the period's bulletin to the staff notice board, its PDF attached."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    kind, value = _period()
    context = reg.bulletin(org.hall_of(current_user), kind, value)
    title = f"领导坐班情况通报（{context['period']}）"
    issued = numbers.issue(current_user.hall_id, "bulletin", title, current_user)
    notice = notices.post_document(title, "通报", render_pdf("pdf/sitin_bulletin.html", issued=issued, **context),
                                   "领导坐班情况通报.pdf", current_user, issued=issued)
    target = url_for("notices.show", notice_id=notice.id)
    return hx_redirect(target) if is_htmx() else redirect(target, 303)
