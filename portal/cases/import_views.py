"""Case import (办件导入): upload an export, preview row by row, confirm; imports, reversal, profiles."""
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..access import roles
from ..imports import profiles as saved_profiles
from ..imports import service as imports
from ..imports.spec import CLASS_LABELS
from ..refusals import Refusal, refused
from ..roles import CASE_IMPORTERS
from ..rulebook import service as rules
from . import bp, service
from .forms import ImportForm, ProfileForm, ReverseForm
from .spec import SPEC

LABELS = {**CLASS_LABELS, **SPEC.class_labels}
SHOWN_ROWS = 300  # rows listed on a preview page; the counts cover them all


def _choices(form):
    form.profile.choices = [(p.name, p.name) for p in service.profiles(current_user.hall_id)]
    return form


def _import_page(message="", status=200, form=None, **_ignored):
    return render_template("cases/import.html", form=form or _choices(ImportForm(formdata=None)), message=message,
                           recent=imports.batches(SPEC, current_user.hall_id, limit=10), labels=LABELS), status


@bp.route("/import")
@roles(*CASE_IMPORTERS)
def import_page():
    """Show the upload form for an export of cases and the latest imports."""
    return _import_page()


@bp.route("/import", methods=["POST"])
@roles(*CASE_IMPORTERS)
def import_upload():
    """Read and classify an uploaded export, then show its preview (nothing is saved yet)."""
    form = _choices(ImportForm())
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
    return redirect(url_for("cases.preview_page", token=shown.token), 303)


def _rows(rows: list) -> list:
    cls = request.args.get("cls") or None
    picked = [r for r in rows if r["cls"] == cls] if cls else \
        [r for r in rows if r["cls"] not in SPEC.keep] + [r for r in rows if r["cls"] in SPEC.keep]
    return picked[:SHOWN_ROWS]


@bp.route("/import/<token>")
@roles(*CASE_IMPORTERS)
def preview_page(token):
    """Show a preview: new, updated, unknown window or person, repeated, already imported, unreadable."""
    try:
        shown = imports.pending(SPEC, current_user.hall_id, token)
    except Refusal as e:
        return refused(e, _import_page)
    return render_template("cases/preview.html", preview=shown, rows=_rows(shown.rows), labels=LABELS, spec=SPEC,
                           kept=service.kept_count(shown.rows),
                           earlier=imports.earlier_import(SPEC, current_user.hall_id, shown.sha256))


@bp.route("/import/<token>/confirm", methods=["POST"])
@roles(*CASE_IMPORTERS)
def preview_confirm(token):
    """Save exactly what the preview showed, and settle the points of the cases it touched."""
    try:
        batch = service.confirm(current_user.hall_id, token, current_user)
    except Refusal as e:
        return refused(e, _import_page)
    flash(f"已导入 {batch.saved} 条办件记录", "ok")
    return redirect(url_for("cases.import_detail", batch_id=batch.id), 303)


@bp.route("/import/<token>/discard", methods=["POST"])
@roles(*CASE_IMPORTERS)
def preview_discard(token):
    """Drop a preview without saving anything."""
    try:
        imports.discard(SPEC, current_user.hall_id, token)
    except Refusal as e:
        return refused(e, _import_page)
    flash("已放弃这份预览，没有保存任何记录", "ok")
    return redirect(url_for("cases.import_page"), 303)


def _detail(batch, message="", status=200, form=None):
    return render_template("cases/import_detail.html", batch=batch, rows=_rows(batch.rows), labels=LABELS,
                           spec=SPEC, message=message, form=form or ReverseForm(formdata=None)), status


@bp.route("/imports/<int:batch_id>")
@roles(*CASE_IMPORTERS)
def import_detail(batch_id):
    """Show one import: its file, counts, rows and reversal."""
    return _detail(service.batch(current_user.hall_id, batch_id))


@bp.route("/imports/<int:batch_id>/reverse", methods=["POST"])
@roles(*CASE_IMPORTERS)
def import_reverse(batch_id):
    """Reverse a whole import: its cases return to their earlier state, their points are settled again."""
    batch = service.batch(current_user.hall_id, batch_id)
    form = ReverseForm()
    if not form.validate_on_submit():
        return _detail(batch, "请填写撤销原因", 422, form)
    try:
        reversal = service.reverse(batch, current_user, form.reason.data)
    except Refusal as e:
        return refused(e, lambda **kw: _detail(batch, kw["message"], kw["status"], form))
    flash(f"已撤销这次导入，移除 {reversal.removed} 条办件记录", "ok")
    return redirect(url_for("cases.import_detail", batch_id=batch.id), 303)


def _columns_text(value) -> str:
    return "" if value is None else str(value)


def _profiles_page(message="", status=200, form=None, base=None):
    base = base or service.profiles(current_user.hall_id)[0]
    form = form or ProfileForm(formdata=None, name=base.name, encoding=base.encoding, skip_rows=base.skip_rows,
                               delimiter=base.mapping.get("delimiter", "auto"), header=base.mapping.get("header", True))
    source = request.form if request.method == "POST" else None
    columns = {f.name: (source.get(f"col_{f.name}", "") if source else
                        _columns_text(base.mapping.get("columns", {}).get(f.name))) for f in SPEC.fields}
    return render_template("cases/profiles.html", form=form, columns=columns, spec=SPEC, message=message,
                           profiles=service.profiles(current_user.hall_id)), status


@bp.route("/profiles")
@roles(*CASE_IMPORTERS)
def profiles():
    """Show the case profiles and the editor, filled from the one chosen (?from=name)."""
    name = request.args.get("from")
    try:
        base = service.profile(current_user.hall_id, name) if name else None
    except Refusal as e:
        return refused(e, _profiles_page)
    return _profiles_page(base=base)


@bp.route("/profiles", methods=["POST"])
@roles(*CASE_IMPORTERS)
def profile_save():
    """Save a named column mapping for the hall's case exports."""
    form = ProfileForm()
    if not form.validate_on_submit():
        return _profiles_page("请检查填写的内容", 422, form)
    columns = {}
    for f in SPEC.fields:
        text = (request.form.get(f"col_{f.name}") or "").strip()
        if text:
            columns[f.name] = int(text) if text.isdigit() else text
    mapping = {"columns": columns, "header": form.header.data, "delimiter": form.delimiter.data, "options": {}}
    try:
        row = saved_profiles.save(current_user.hall_id, SPEC.kind, form.name.data, mapping, form.encoding.data,
                                  form.skip_rows.data, current_user)
    except Refusal as e:
        return refused(e, _profiles_page, form=form)
    flash(f"已保存导入方案“{row.name}”", "ok")
    return redirect(url_for("cases.profiles", **{"from": row.name}), 303)
