"""Punch file import (考勤导入): upload, preview row by row, confirm; the list of imports and reversal."""
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..access import roles
from ..imports import service as imports
from ..imports.spec import CLASS_LABELS
from ..refusals import Refusal, refused
from ..roles import ATTENDANCE_KEEPERS
from ..rulebook import service as rules
from . import bp, service
from .forms import ImportForm, ReverseForm
from .punches import SPEC


def _import_page(message="", status=200, form=None):
    form = form or ImportForm(formdata=None)
    form.profile.choices = [(p.name, p.name) for p in service.profiles(current_user.hall_id)]
    return render_template("attendance/import.html", form=form, message=message,
                           recent=imports.batches(SPEC, current_user.hall_id, limit=10)), status


@bp.route("/import")
@roles(*ATTENDANCE_KEEPERS)
def import_page():
    """Show the upload form for a punch file and the latest imports."""
    return _import_page()


@bp.route("/import", methods=["POST"])
@roles(*ATTENDANCE_KEEPERS)
def import_upload():
    """Read and classify an uploaded punch file, then show its preview (nothing is saved yet)."""
    form = ImportForm()
    form.profile.choices = [(p.name, p.name) for p in service.profiles(current_user.hall_id)]
    if not form.validate_on_submit():
        return _import_page("请选择导入方案和文件", 422, form)
    limit = rules.get("uploads.max_document_mb") * 1024 * 1024
    data = form.file.data.read(limit + 1)
    try:
        if len(data) > limit:
            raise Refusal(f"文件超过 {limit // (1024 * 1024)} MB 的大小限制")
        shown = service.preview(current_user.hall_id, current_user, form.file.data.filename, data, form.profile.data)
    except Refusal as e:
        return refused(e, _import_page, form=form)
    return redirect(url_for("attendance.preview_page", token=shown.token), 303)


@bp.route("/import/<token>")
@roles(*ATTENDANCE_KEEPERS)
def preview_page(token):
    """Show a preview row by row: new, already imported, unknown id, not a working day, unreadable."""
    try:
        shown = imports.pending(SPEC, current_user.hall_id, token)
    except Refusal as e:
        return refused(e, _import_page)
    cls = request.args.get("cls") or None
    rows, left_out = service.shown_rows(shown.rows, cls)
    earlier = imports.earlier_import(SPEC, current_user.hall_id, shown.sha256)
    return render_template("attendance/preview.html", preview=shown, rows=rows, left_out=left_out, cls=cls,
                           labels={**CLASS_LABELS, **SPEC.class_labels}, spec=SPEC, earlier=earlier,
                           kept=service.kept_count(shown.rows))


@bp.route("/import/<token>/confirm", methods=["POST"])
@roles(*ATTENDANCE_KEEPERS)
def preview_confirm(token):
    """Save exactly what the preview showed."""
    try:
        batch = imports.confirm(SPEC, current_user.hall_id, token, current_user)
    except Refusal as e:
        return refused(e, _import_page)
    flash(f"已导入 {batch.saved} 条打卡记录", "ok")
    return redirect(url_for("attendance.import_detail", batch_id=batch.id), 303)


@bp.route("/import/<token>/discard", methods=["POST"])
@roles(*ATTENDANCE_KEEPERS)
def preview_discard(token):
    """Drop a preview without saving anything."""
    try:
        imports.discard(SPEC, current_user.hall_id, token)
    except Refusal as e:
        return refused(e, _import_page)
    flash("已放弃这份预览，没有保存任何记录", "ok")
    return redirect(url_for("attendance.import_page"), 303)


@bp.route("/imports")
@roles(*ATTENDANCE_KEEPERS)
def import_list():
    """List the hall's punch imports, reversed ones marked."""
    return render_template("attendance/imports.html", batches=imports.batches(SPEC, current_user.hall_id))


def _detail(batch, message="", status=200, form=None):
    cls = request.args.get("cls") or None
    rows, left_out = service.shown_rows(batch.rows, cls)
    return render_template("attendance/import_detail.html", batch=batch, rows=rows, left_out=left_out, cls=cls,
                           labels={**CLASS_LABELS, **SPEC.class_labels}, spec=SPEC, message=message,
                           form=form or ReverseForm(formdata=None)), status


@bp.route("/imports/<int:batch_id>")
@roles(*ATTENDANCE_KEEPERS)
def import_detail(batch_id):
    """Show one import: its file, counts, rows and reversal."""
    return _detail(service.batch(current_user.hall_id, batch_id))


@bp.route("/imports/<int:batch_id>/reverse", methods=["POST"])
@roles(*ATTENDANCE_KEEPERS)
def import_reverse(batch_id):
    """Reverse a whole import: its punches are removed, the import and the reversal stay on record."""
    batch = service.batch(current_user.hall_id, batch_id)
    form = ReverseForm()
    if not form.validate_on_submit():
        return _detail(batch, "请填写撤销原因", 422, form)
    try:
        reversal = imports.reverse(SPEC, batch, current_user, form.reason.data)
    except Refusal as e:
        return refused(e, lambda **kw: _detail(batch, kw["message"], kw["status"], form))
    flash(f"已撤销这次导入，移除 {reversal.removed} 条打卡记录", "ok")
    return redirect(url_for("attendance.import_detail", batch_id=batch.id), 303)
