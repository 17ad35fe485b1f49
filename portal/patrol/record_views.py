"""A window visit's record (巡查记录): its findings, photos, and voiding findings whole (申诉成立)."""
from flask import request
from flask_login import current_user

from ..access import roles
from ..extensions import db
from ..forms import ConfirmForm
from ..htmx import render
from ..once import once
from ..records import hall_record
from ..refusals import refused
from ..roles import INSPECTORS, PATROL_READERS
from ..uploads import service as uploads
from . import bp, findings
from .models import PatrolVisit


def _visit_panel(visit: PatrolVisit, message: str = "", level: str = "ok", status: int = 200, reason: str = ""):
    photos = uploads.files_of(findings.PHOTO_OWNER, [visit.id])[visit.id]
    open_findings = [f for f in visit.findings if f.void is None]
    return render("patrol/visit.html", "patrol/_visit.html", status=status, visit=visit, photos=photos,
                  message=message, level=level, reason=reason,
                  can_void=bool(open_findings) and current_user.has_role(*INSPECTORS))


@bp.route("/visits/<int:visit_id>")
@roles(*PATROL_READERS)
def visit(visit_id):
    """Show one window visit of a patrol with its findings and photos (the ledger's evidence)."""
    return _visit_panel(hall_record(PatrolVisit, visit_id))


@bp.route("/visits/<int:visit_id>/void", methods=["POST"])
@roles(*INSPECTORS)
@once
def void(visit_id):
    """Void the chosen findings of a visit with one reason: each of their ledger events is reversed."""
    row = hall_record(PatrolVisit, visit_id)
    reason = request.form.get("reason", "")
    if not ConfirmForm().validate_on_submit():
        return _visit_panel(row, "页面已过期，请刷新后重试", "error", 400, reason)
    ids = [int(i) for i in request.form.getlist("finding") if i.isdigit()]
    try:
        voids = findings.void(current_user, row, ids, reason)
    except findings.PatrolError as error:
        return refused(error, _visit_panel, visit=row, level="error", reason=reason)
    db.session.commit()
    return _visit_panel(row, f"已撤销 {len(voids)} 项问题，考核台账已加记冲正记录，原记录保留")
