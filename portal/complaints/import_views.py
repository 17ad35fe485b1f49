"""12345 work-order import (热线工单导入): upload the export, preview row by row, confirm."""
from flask import redirect, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired

from ..access import roles
from ..htmx import render
from ..imports import service as imports
from ..imports.spec import CLASS_LABELS
from ..refusals import Refusal, refused
from ..roles import Role
from ..rulebook import service as rules
from . import bp, hotline

IMPORTERS = (Role.ADMIN, Role.GENERAL_DUTY, Role.DUTY_LEADER)


class UploadForm(FlaskForm):
    """Upload a 12345 export (Excel or CSV)."""

    file = FileField("12345 工单导出文件", validators=[FileRequired(message="请选择文件")])


def _page(message="", status=200, form=None, made=None):
    return render("complaints/import.html", "complaints/import.html", status=status, form=form or UploadForm(),
                  message=message, ok=status == 200 and bool(message), made=made or [],
                  recent=imports.batches(hotline.SPEC, current_user.hall_id, limit=10))


@bp.route("/import")
@roles(*IMPORTERS)
def import_page():
    """Show the upload form and the latest imports."""
    return _page()


@bp.route("/import", methods=["POST"])
@roles(*IMPORTERS)
def import_upload():
    """Classify an uploaded export and show its preview (nothing is saved yet)."""
    form = UploadForm()
    if not form.validate_on_submit():
        return _page("请选择文件", 422, form)
    limit = rules.get("uploads.max_document_mb") * 1024 * 1024
    data = form.file.data.read(limit + 1)
    try:
        if len(data) > limit:
            raise Refusal(f"文件超过 {limit // (1024 * 1024)} MB 的大小限制")
        shown = hotline.preview(current_user.hall_id, current_user, form.file.data.filename, data)
    except Refusal as e:
        return refused(e, _page, form=form)
    return redirect(url_for("complaints.import_preview", token=shown.token), 303)


@bp.route("/import/<token>")
@roles(*IMPORTERS)
def import_preview(token):
    """Show the preview row by row: new, already imported, unreadable."""
    try:
        shown = imports.pending(hotline.SPEC, current_user.hall_id, token)
    except Refusal as e:
        return refused(e, _page)
    kept = sum(1 for r in shown.rows if r["cls"] in hotline.SPEC.keep)
    return render("complaints/import_preview.html", "complaints/import_preview.html", preview=shown, kept=kept,
                  spec=hotline.SPEC, labels=CLASS_LABELS, rows=shown.rows[:500])


@bp.route("/import/<token>/confirm", methods=["POST"])
@roles(*IMPORTERS)
def import_confirm(token):
    """Save exactly what the preview showed and open a case for each new work order."""
    try:
        made = hotline.confirm(current_user.hall_id, token, current_user)
    except Refusal as e:
        return refused(e, _page)
    return _page(f"已导入 {len(made)} 张工单，已生成投诉件", made=made)


