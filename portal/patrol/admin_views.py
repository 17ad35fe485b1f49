"""Checklist editing (versioned) for the center and the inspection office."""
from datetime import date
from decimal import Decimal, InvalidOperation

from flask import abort, request, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from .. import clock
from ..access import roles
from ..audit import service as audit
from ..documents import service as numbers
from ..extensions import db
from ..htmx import render
from ..notices.service import post_document
from ..once import once
from ..pdf import job_page, pdf_response, render_pdf, start_job
from ..records import hall_record
from ..refusals import refused
from ..roles import AUTHORS, INSPECTORS, PATROL_REPORTS
from ..scores.service import to_centi
from . import bp, checklist, reports
from .forms import NoteForm
from .helpers import confirmed, go
from .models import SECTIONS, PatrolVisit


def _checklist_panel(form=None, drafts=None, message: str = "", ok: bool = False, status: int = 200):
    """Render the checklist editor (the newest version, or the defaults before the first save)."""
    template = checklist.latest(current_user.hall_id)
    rows = drafts if drafts is not None else (template.items if template else checklist.default_drafts())
    return render("patrol/checklist.html", "patrol/_checklist.html", status=status, template=template,
                  rows=rows, sections=SECTIONS, form=form or NoteForm(), message=message, ok=ok)


def _points(raw: str) -> int:
    try:
        value = Decimal((raw or "0").strip() or "0")
    except InvalidOperation:
        raise checklist.ChecklistError("扣分请填数字") from None
    if not 0 <= value <= 100:
        raise checklist.ChecklistError("扣分须在 0 到 100 之间")
    return to_centi(value)


def _drafts_from_form() -> list[checklist.ItemDraft]:
    drafts, f = [], request.form
    for n in range(int(f.get("count", "0") or 0) + 1):
        label = f.get(f"label-{n}", "").strip()
        if f.get(f"drop-{n}") or not label:
            continue
        drafts.append(checklist.ItemDraft(f.get(f"section-{n}", ""), label,
                                          _points(f.get(f"person-{n}")), _points(f.get(f"unit-{n}"))))
    return drafts


def _save_checklist(form: NoteForm):
    drafts = _drafts_from_form()
    base = int(request.form.get("base_version", "0") or 0)
    try:
        template = checklist.save_version(current_user.hall_id, drafts, current_user, base, form.note.data or "")
        db.session.commit()
    except IntegrityError:
        raise checklist.ChecklistError("清单已被他人修改，请刷新页面后再改", 409) from None
    return template


@bp.route("/checklist", methods=["GET", "POST"])
@roles(*INSPECTORS)
@once
def checklist_edit():
    """Edit the patrol checklist; saving makes a new version, rounds keep the one they used."""
    form = NoteForm()
    if request.method == "GET":
        return _checklist_panel(form)
    if not form.validate_on_submit():
        return _checklist_panel(form, message="页面已过期，请刷新后重试", status=400)
    try:
        template = _save_checklist(form)
    except checklist.ChecklistError as error:
        return refused(error, _checklist_panel, form=form)
    return _checklist_panel(NoteForm(formdata=None), message=f"已保存为第 {template.version} 版", ok=True)


# --- reports ------------------------------------------------------------------------------------



def _hall():
    from ..org import service as org
    return org.hall_of(current_user)


@bp.route("/report.pdf")
@roles(*PATROL_REPORTS)
def day_report():
    """Print the day's patrol report for the center director (巡查日报)."""
    try:
        day = date.fromisoformat(request.args.get("day", ""))
    except ValueError:
        day = clock.today()
    return pdf_response("pdf/patrol_day.html", f"巡查日报-{day}.pdf", **reports.day_report(_hall(), day))


def _quarter() -> tuple[int, int]:
    raw = request.args.get("quarter", "")
    year, _, q = raw.partition("-")
    if year.isdigit() and q in ("1", "2", "3", "4"):
        return int(year), int(q)
    today = clock.today()
    return today.year, (today.month - 1) // 3 + 1


@bp.route("/bulletin.pdf")
@roles(*AUTHORS)
def bulletin():
    """Print the quarterly patrol bulletin (巡查通报)."""
    year, quarter = _quarter()
    hall = _hall()
    audit.record("export.patrol_bulletin", "hall", hall.id, detail={"quarter": f"{year}-{quarter}"})
    db.session.commit()
    return pdf_response("pdf/patrol_bulletin.html", f"巡查通报-{year}年第{quarter}季度.pdf",
                        **reports.bulletin(hall, year, quarter))


@bp.route("/bulletin/make", methods=["POST"])
@roles(*AUTHORS)
def bulletin_job():
    """Make the quarterly bulletin in the background (a long document) and show its progress."""
    confirmed()
    year, quarter = _quarter()
    hall = _hall()
    audit.record("export.patrol_bulletin", "hall", hall.id, detail={"quarter": f"{year}-{quarter}"})
    db.session.commit()
    job = start_job("pdf/patrol_bulletin.html", f"巡查通报-{year}年第{quarter}季度.pdf", current_user.id,
                    **reports.bulletin(hall, year, quarter))
    return go(job_page(job, url_for("patrol.index"), "值班巡查"))


@bp.route("/bulletin/post", methods=["POST"])
@roles(*AUTHORS)
@once
def post_bulletin():
    """Post the quarterly bulletin to the staff notice board, its PDF attached."""
    confirmed()
    year, quarter = _quarter()
    hall, title = _hall(), f"{year}年第{quarter}季度巡查通报"
    earlier = numbers.posted_today(hall.id, "bulletin", title)
    if earlier is not None:  # posted a moment ago (a second tap after a slow render): show it, post nothing
        return go(url_for("notices.show", notice_id=earlier.notice_id))
    issued = numbers.issue(hall.id, "bulletin", title, current_user)
    notice = post_document(title, "通报", reports.bulletin_pdf(hall, year, quarter, issued),
                           f"巡查通报-{year}年第{quarter}季度.pdf", current_user, issued=issued)
    return go(url_for("notices.show", notice_id=notice.id))


def _serious_visit(visit_id: int) -> PatrolVisit:
    visit = hall_record(PatrolVisit, visit_id)
    if not visit.findings:
        abort(404)
    return visit


@bp.route("/visits/<int:visit_id>/bulletin.pdf")
@roles(*AUTHORS)
def visit_bulletin(visit_id):
    """Print an immediate bulletin on a serious finding (即时通报)."""
    visit = _serious_visit(visit_id)
    return pdf_response("pdf/patrol_immediate.html", "巡查即时通报.pdf", **reports.visit_bulletin(_hall(), visit))


@bp.route("/visits/<int:visit_id>/bulletin/post", methods=["POST"])
@roles(*AUTHORS)
@once
def post_visit_bulletin(visit_id):
    """Post an immediate bulletin to the staff notice board, its PDF attached."""
    confirmed()
    visit = _serious_visit(visit_id)
    title = f"巡查即时通报（{visit.window.number}号窗口，{visit.day:%m月%d日}）"
    issued = numbers.issue(visit.hall_id, "bulletin", title, current_user)
    pdf = render_pdf("pdf/patrol_immediate.html", issued=issued, **reports.visit_bulletin(_hall(), visit))
    notice = post_document(title, "通报", pdf, "巡查即时通报.pdf", current_user, issued=issued)
    return go(url_for("notices.show", notice_id=notice.id))


