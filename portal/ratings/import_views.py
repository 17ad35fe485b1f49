"""Online ratings import (网上评价导入): upload the platform's export, preview row by row, confirm."""
from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField
from wtforms.validators import DataRequired

from ..access import roles
from ..imports import profiles as saved_profiles
from ..imports import service as imports
from ..refusals import Refusal, refused
from ..roles import RATING_CENTER
from ..rulebook import service as rules
from . import bp, online

PREVIEW_LIMIT = 500


class ImportForm(FlaskForm):
    """Upload an export of online ratings to preview it."""

    profile = SelectField("导入方案", validators=[DataRequired(message="请选择导入方案")])
    file = FileField("导出文件（CSV 或 Excel）", validators=[FileRequired(message="请选择文件")])


def _form(formdata=True):
    form = ImportForm() if formdata else ImportForm(formdata=None)
    form.profile.choices = [(p.name, p.name) for p in online.profiles(current_user.hall_id)]
    return form


def _import_page(message="", status=200, form=None):
    return render_template("ratings/import.html", form=form or _form(False), message=message,
                           recent=imports.batches(online.SPEC, current_user.hall_id, limit=10)), status


@bp.route("/import")
@roles(*RATING_CENTER)
def import_page():
    """Show the upload form for the platform's export and the latest imports."""
    return _import_page()


@bp.route("/import", methods=["POST"])
@roles(*RATING_CENTER)
def import_upload():
    """Read and classify an uploaded export, then show its preview (nothing is saved yet)."""
    form = _form()
    if not form.validate_on_submit():
        return _import_page("请选择导入方案和文件", 422, form)
    limit = rules.get("uploads.max_document_mb") * 1024 * 1024
    data = form.file.data.read(limit + 1)
    try:
        if len(data) > limit:
            raise Refusal(f"文件超过 {limit // (1024 * 1024)} MB 的大小限制")
        profile = saved_profiles.find(current_user.hall_id, online.KIND, form.profile.data, online.presets())
        shown = imports.preview(online.SPEC, current_user.hall_id, current_user, form.file.data.filename, data,
                                profile)
    except Refusal as e:
        return refused(e, _import_page, form=form)
    return redirect(url_for("ratings.import_preview", token=shown.token), 303)


@bp.route("/import/<token>")
@roles(*RATING_CENTER)
def import_preview(token):
    """Show a preview row by row: new, already imported (same 办件编号 and channel), unknown unit, unreadable."""
    try:
        shown = imports.pending(online.SPEC, current_user.hall_id, token)
    except Refusal as e:
        return refused(e, _import_page)
    rows = sorted(shown.rows, key=lambda r: r["cls"] == "new")[:PREVIEW_LIMIT]
    return render_template("ratings/import_preview.html", preview=shown, rows=rows, spec=online.SPEC,
                           kept=sum(1 for r in shown.rows if r["cls"] in online.SPEC.keep))


@bp.route("/import/<token>/confirm", methods=["POST"])
@roles(*RATING_CENTER)
def import_confirm(token):
    """Save exactly what the preview showed; bad reviews open their cases."""
    try:
        batch = online.confirm(current_user.hall_id, token, current_user)
    except Refusal as e:
        return refused(e, _import_page)
    flash(f"已导入 {batch.saved} 条网上评价", "ok")
    return redirect(url_for("ratings.import_page"), 303)
