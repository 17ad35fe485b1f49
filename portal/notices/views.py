"""Pages of the notice board (公告栏): the board, a notice, acknowledgement, receipts, print."""
from flask import abort, request
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from ..access import roles
from ..database import write_transaction
from ..documents import service as numbers
from ..extensions import db
from ..forms import ConfirmForm
from ..htmx import render
from ..org import service as org
from ..pdf import pdf_response
from ..refusals import refused
from ..roles import AUTHORS, READERS
from ..uploads import service as uploads
from . import board, bp, documents, service
from . import render as body
from .helpers import notice_or_404
from .models import CATEGORIES


@bp.route("/")
@roles(*READERS)
def index():
    """Show the board: pinned and newest first, by category, with a search in title and body."""
    category = request.args.get("category", "")
    category = category if category in CATEGORIES else ""
    q = request.args.get("q", "")[:50]
    page = request.args.get("page", "1")
    page = int(page) if page.isdigit() and 0 < int(page) < 1000 else 1
    rows, more = board.board(current_user, category, q, page)
    return render("notices/board.html", "notices/_board.html", rows=rows, more=more, page_no=page,
                  category=category, q=q, categories=CATEGORIES,
                  can_author=current_user.has_role(*AUTHORS))


def _show_context(notice):
    receipt = service.receipt_of(current_user, notice)
    return dict(notice=notice, html=body.to_html(notice.body), receipt=receipt,
                files=documents.attachments_of([notice.id])[notice.id],
                versions=service.versions_of(notice.id), live=service.is_live(notice),
                can_manage=service.can_manage(current_user, notice),
                in_audience=service.in_audience(current_user, notice))


@bp.route("/<int:notice_id>")
@roles(*READERS)
def show(notice_id):
    """Show a notice, and note that the person has opened it."""
    notice = notice_or_404(notice_id)
    if service.is_live(notice) and service.in_audience(current_user, notice):
        with write_transaction():
            service.mark_read(current_user, notice)
    return render("notices/show.html", "notices/_show.html", **_show_context(notice))


@bp.route("/<int:notice_id>/ack", methods=["POST"])
@roles(*READERS)
def acknowledge(notice_id):
    """Acknowledge a must-read notice (确认已阅知)."""
    notice = notice_or_404(notice_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        service.acknowledge(current_user, notice)
    except service.NoticeError as error:
        return refused(error)
    db.session.commit()
    return render("notices/show.html", "notices/_ack.html", **_show_context(notice))


@bp.route("/<int:notice_id>/versions/<int:number>")
@roles(*READERS)
def version(notice_id, number):
    """Show an earlier version of a notice, as it read before an edit."""
    notice = notice_or_404(notice_id)
    found = next((v for v in service.versions_of(notice.id) if v.number == number), None)
    if found is None:
        abort(404)
    return render("notices/version.html", "notices/version.html", notice=notice, version=found,
                  html=body.to_html(found.body))


@bp.route("/<int:notice_id>/files/<token>")
@roles(*READERS)
def attachment(notice_id, token):
    """Serve an attachment to those who may see its notice."""
    notice = notice_or_404(notice_id)
    stored = uploads.by_token(token)
    if stored.owner_type != documents.OWNER_TYPE or stored.owner_id != notice.id:
        abort(404)
    return uploads.send(stored)


@bp.route("/<int:notice_id>/print.pdf")
@roles(*READERS)
def print_pdf(notice_id):
    """Print a notice as an A4 PDF with the hall's header."""
    notice = notice_or_404(notice_id)
    return pdf_response("pdf/notice.html", f"公告-{notice.id}.pdf", notice=notice, hall=org.hall_of(current_user),
                        html=body.to_html(notice.body), files=documents.attachments_of([notice.id])[notice.id],
                        issued=numbers.of_notice(notice.id))


@bp.route("/<int:notice_id>/receipts")
@roles(*AUTHORS)
def receipts(notice_id):
    """Show who has and has not acknowledged a must-read notice, per department."""
    notice = notice_or_404(notice_id, manage=True)
    groups = board.receipts(notice)
    done = sum(len(g.done) for g in groups)
    total = sum(g.total for g in groups)
    return render("notices/receipts.html", "notices/_receipts.html", notice=notice, groups=groups,
                  done=done, total=total)


@bp.route("/manage")
@roles(*AUTHORS)
def manage():
    """List the notices this person manages: drafts, scheduled, live, expired and archived."""
    return render("notices/manage.html", "notices/_manage.html", notices=board.managed(current_user),
                  live=service.is_live)


@bp.route("/<int:notice_id>/publish", methods=["POST"])
@roles(*AUTHORS)
def publish(notice_id):
    """Publish a draft now or at its scheduled time."""
    return _state_change(notice_id, service.publish, "已发布")


@bp.route("/<int:notice_id>/archive", methods=["POST"])
@roles(*AUTHORS)
def archive(notice_id):
    """Withdraw a notice from the board and the hall screens (归档)."""
    return _state_change(notice_id, service.archive, "已撤回并归档")


def _state_change(notice_id, change, done):
    notice = notice_or_404(notice_id, manage=True)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        change(current_user, notice)
        db.session.flush()
    except (service.NoticeError, StaleDataError) as error:
        return refused(service.stale(error), _show_panel, notice_id=notice_id)
    db.session.commit()
    return _show_panel(f"公告{done}", notice_id=notice_id, level="ok")


def _show_panel(message: str, status: int = 200, notice_id: int = 0, level: str = "error"):
    notice = notice_or_404(notice_id, manage=True)
    return render("notices/show.html", "notices/_show.html", status=status, message=message, level=level,
                  **_show_context(notice))

