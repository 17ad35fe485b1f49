"""Writing and editing notices: drafts, attachments, scheduled publishing."""
from datetime import datetime

from flask import redirect, request, url_for
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from .. import clock
from ..access import roles
from ..extensions import db
from ..htmx import render
from ..once import once
from ..refusals import refused
from ..roles import AUTHORS
from . import board, bp, service
from .forms import NoticeForm
from .helpers import notice_or_404


def _aware(value: datetime | None) -> datetime | None:
    return value.replace(tzinfo=clock.hall_tz()) if value is not None else None


def _draft(form: NoticeForm) -> service.Draft:
    return service.Draft(title=form.title.data or "", body=form.body.data or "", category=form.category.data,
                         audience=form.audience.data, department_ids=form.department_ids.data or [],
                         pinned=form.pinned.data, must_read=form.must_read.data, emergency=form.emergency.data,
                         publish_at=_aware(form.publish_at.data), expires_at=_aware(form.expires_at.data),
                         reask={"substance": True, "typo": False}.get(form.change.data))


def _form(notice=None) -> NoticeForm:
    form = NoticeForm(obj=notice) if request.method == "GET" and notice else NoticeForm()
    form.department_ids.choices = [(d.id, d.name) for d in board.departments_of(current_user.hall_id)]
    if request.method == "GET" and notice:
        form.department_ids.data = notice.department_ids
        form.publish_at.data = clock.local(notice.publish_at).replace(tzinfo=None) if notice.publish_at else None
        form.expires_at.data = clock.local(notice.expires_at).replace(tzinfo=None) if notice.expires_at else None
        form.revision.data = str(notice.revision)
    return form


def _page(form, notice=None, message="", status=200):
    return render("notices/edit.html", "notices/edit.html", status=status, form=form, notice=notice,
                  message=message, ask_change=notice is not None and service.needs_reask_choice(notice))


@bp.route("/new", methods=["GET", "POST"])
@roles(*AUTHORS)
@once
def new():
    """Write a notice: save it as a draft, or publish it (now or at a set time)."""
    form = _form()
    if request.method == "GET":
        return _page(form)
    return _save(form, None)


@bp.route("/<int:notice_id>/edit", methods=["GET", "POST"])
@roles(*AUTHORS)
def edit(notice_id):
    """Edit a notice; a published one keeps its earlier text as a version."""
    notice = notice_or_404(notice_id, manage=True)
    form = _form(notice)
    if request.method == "GET":
        return _page(form, notice)
    return _save(form, notice)


def _save(form, existing):
    notice = existing
    if not form.validate_on_submit():
        return _page(form, notice, "请检查标红的项目" if form.csrf_token.data else "页面已过期，请刷新后重试", 422)
    draft, publishing = _draft(form), request.form.get("action") == "publish"
    try:
        if notice is None:
            notice = service.create(current_user, draft)
        else:
            revision = int(form.revision.data) if (form.revision.data or "").isdigit() else None
            service.update(current_user, notice, draft, revision)
        problems = service.attach(current_user, notice, request.files.getlist(form.attachments.name))
        if problems:
            db.session.commit()  # the text is kept as a draft; the refused files are not
            form.revision.data = str(notice.revision)
            return _page(form, notice, "附件未保存，公告仍为草稿：" + "；".join(problems), 422)
        if publishing and notice.state == "draft":
            service.publish(current_user, notice)
        db.session.flush()
    except (service.NoticeError, StaleDataError) as error:
        return refused(service.stale(error), lambda message, status: _page(form, existing, message, status))
    db.session.commit()
    return redirect(url_for("notices.show", notice_id=notice.id))
