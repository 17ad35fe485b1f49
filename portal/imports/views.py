"""The import pages every capability shares: upload, preview, confirm, the imports and their reversal.

A capability describes its import with `ImportPages` (pages.py) and calls `register(bp, pages)`; the
routes keep the capability's URLs (/import, /import/<token>, /imports/<id>, /profiles) and roles.
"""
from functools import partial, wraps

from flask import flash, redirect, render_template, request
from flask_login import current_user

from .. import jobs
from ..access import roles
from ..once import once
from ..refusals import Refusal, refused
from ..rulebook import service as rules
from . import background, profile_views, service
from .forms import ReverseForm, UploadForm
from .pages import ImportPages


def _upload_page(pages: ImportPages, message="", status=200, form=None):
    form = form or _upload_form(pages, formdata=None)
    return render_template("imports/upload.html", pages=pages, form=form, message=message,
                           recent=service.batches(pages.spec, current_user.hall_id, limit=10)), status


def _upload_form(pages: ImportPages, **kwargs) -> UploadForm:
    names = [p.name for p in pages.profiles(current_user.hall_id)]
    form = UploadForm(profile=names[0] if names else None, **kwargs)  # a form without the choice takes the first
    form.profile.choices = [(n, n) for n in names]
    form.file.label.text = pages.file_label
    return form


def import_page(pages: ImportPages):
    """Show the upload form and the latest imports."""
    return _upload_page(pages)


def import_upload(pages: ImportPages):
    """Read and classify an uploaded file, then show its preview (nothing is saved yet)."""
    form = _upload_form(pages)
    if not form.validate_on_submit():
        return _upload_page(pages, "请选择导入方案和文件", 422, form)
    limit = rules.get("uploads.max_document_mb") * 1024 * 1024
    data = form.file.data.read(limit + 1)
    hall_id = current_user.hall_id
    try:
        if len(data) > limit:
            raise Refusal(f"文件超过 {limit // (1024 * 1024)} MB 的大小限制")
        profile = pages.profile(hall_id, form.profile.data)
        shown = service.preview(pages.spec, hall_id, current_user, form.file.data.filename, data, profile)
    except Refusal as e:
        return refused(e, partial(_upload_page, pages), form=form)
    return redirect(pages.at("preview_page", token=shown.token), 303)


def _rows(pages: ImportPages, rows: list) -> dict:
    cls = request.args.get("cls") or None
    shown, left_out = pages.shown(rows, cls)
    return {"rows": shown, "left_out": left_out, "cls": cls, "labels": pages.spec.labels, "spec": pages.spec}


def preview_page(pages: ImportPages, token):
    """Show a preview row by row: each class with its line number and reason; nothing is saved yet."""
    try:
        shown = service.pending(pages.spec, current_user.hall_id, token)
    except Refusal as e:
        return refused(e, partial(_upload_page, pages))
    return render_template("imports/preview.html", pages=pages, preview=shown, kept=pages.kept(shown.rows),
                           earlier=service.earlier_import(pages.spec, current_user.hall_id, shown.sha256),
                           **_rows(pages, shown.rows))


@once
def preview_confirm(pages: ImportPages, token):
    """Save exactly what the preview showed (once, however often the button is sent)."""
    try:
        if background.big(pages, current_user.hall_id, token):  # a county's month: the worker saves it
            return redirect(jobs.status_url(background.confirm_later(pages, token, current_user)), 303)
        batch = pages.confirm(current_user.hall_id, token, current_user)
    except Refusal as e:
        return refused(e, partial(_upload_page, pages))
    flash(f"已导入 {batch.saved} {pages.unit}{pages.noun}", "ok")
    return redirect(pages.at("import_detail", batch_id=batch.id), 303)


def preview_discard(pages: ImportPages, token):
    """Drop a preview without saving anything."""
    try:
        service.discard(pages.spec, current_user.hall_id, token)
    except Refusal as e:
        return refused(e, partial(_upload_page, pages))
    flash("已放弃这份预览，没有保存任何记录", "ok")
    return redirect(pages.at("import_page"), 303)


def import_list(pages: ImportPages):
    """List the hall's imports of this kind, reversed ones marked."""
    return render_template("imports/list.html", pages=pages,
                           batches=service.batches(pages.spec, current_user.hall_id))


def _record(pages: ImportPages, batch, message="", status=200, form=None):
    return render_template("imports/record.html", pages=pages, batch=batch, message=message,
                           form=form or ReverseForm(formdata=None), **pages.details(batch),
                           **_rows(pages, batch.rows)), status


def import_detail(pages: ImportPages, batch_id):
    """Show one import: its file, counts, rows and reversal."""
    return _record(pages, pages.batch(current_user.hall_id, batch_id))


@once
def import_reverse(pages: ImportPages, batch_id):
    """Reverse a whole import: what it saved is undone, the import and the reversal stay on record."""
    batch = pages.batch(current_user.hall_id, batch_id)
    form = ReverseForm()
    if not form.validate_on_submit():
        return _record(pages, batch, "请填写撤销原因", 422, form)
    try:
        reversal = pages.reverse(batch, current_user, form.reason.data)
    except Refusal as e:
        return refused(e, lambda **kw: _record(pages, batch, kw["message"], kw["status"], form))
    flash(f"已撤销这次导入，移除 {reversal.removed} {pages.unit}{pages.noun}", "ok")
    return redirect(pages.at("import_detail", batch_id=batch.id), 303)


ROUTES = [
    ("/import", "import_page", ("GET",), import_page),
    ("/import", "import_upload", ("POST",), import_upload),
    ("/import/<token>", "preview_page", ("GET",), preview_page),
    ("/import/<token>/confirm", "preview_confirm", ("POST",), preview_confirm),
    ("/import/<token>/discard", "preview_discard", ("POST",), preview_discard),
    ("/imports", "import_list", ("GET",), import_list),
    ("/imports/<int:batch_id>", "import_detail", ("GET",), import_detail),
    ("/imports/<int:batch_id>/reverse", "import_reverse", ("POST",), import_reverse),
    ("/profiles", "profiles", ("GET",), profile_views.profiles),
    ("/profiles", "profile_save", ("POST",), profile_views.profile_save),
]


def _bound(view, pages: ImportPages):
    @wraps(view)
    def answer(**kwargs):
        return view(pages, **kwargs)
    return roles(*pages.roles)(answer)


def register(bp, pages: ImportPages) -> ImportPages:
    """Add the import pages to a capability's blueprint, for the roles the pages name."""
    pages.blueprint = bp.name
    background.offer(pages)
    for rule, endpoint, methods, view in ROUTES:
        bp.add_url_rule(rule, endpoint, _bound(view, pages), methods=list(methods))
    return pages
