"""Praise received by window units and staff (表扬登记): the supervisor records it with evidence; bonus once."""
from flask import abort, request
from flask_login import current_user

from .. import clock
from ..access import roles
from ..extensions import db
from ..htmx import render
from ..once import once
from ..org import service as org
from ..records import hall_record
from ..refusals import Refusal, refused
from ..roles import PRAISE_RECORDERS, RATING_CASE_WORKERS, Role
from ..uploads import service as uploads
from . import bp, praise
from .forms import PraiseForm
from .models import PRAISE_KINDS, Praise

PRAISE_READERS = (*RATING_CASE_WORKERS, Role.GENERAL_DUTY)


def _own_unit() -> int | None:
    """A window leader reads their own unit's praise; the center and the supervisors read every unit's."""
    return None if current_user.has_role(*PRAISE_RECORDERS, Role.ADMIN, Role.GENERAL_DUTY) \
        else current_user.department_id


def _form(form=None) -> PraiseForm:
    form = form or PraiseForm(formdata=None, received_on=clock.today())  # a fresh form, also after a save
    form.kind.choices = list(PRAISE_KINDS.items())
    form.department_id.choices = [(d.id, d.name) for d in org.departments(current_user.hall_id, "window_unit", True)]
    form.staff_id.choices = [(0, "（只表扬单位）")] + [
        (p.id, f"{p.name}（{p.department.name if p.department else '—'}）")
        for p in org.people(current_user.hall_id, active_only=True) if p.department_id]
    return form


def _page(form=None, message="", ok=False, status=200):
    found = praise.of_hall(current_user.hall_id, _own_unit())
    return render("ratings/praise.html", "ratings/_praise.html", status=status, form=_form(form), praises=found,
                  files=praise.evidence_of(found), message=message, ok=ok,
                  recorder=current_user.has_role(*PRAISE_RECORDERS))


@bp.route("/praise")
@roles(*PRAISE_READERS)
def praise_list():
    """List the praise received and its bonuses; the supervisor records a new one."""
    return _page()


@bp.route("/praise", methods=["POST"])
@roles(*PRAISE_RECORDERS)
@once
def record_praise():
    """Record a praise with its evidence; the unit (and the staff member) get the rulebook's bonus once."""
    form = _form(PraiseForm())
    if not form.validate_on_submit():
        return _page(form, "请检查填写的内容", status=422)
    try:
        row = praise.record(current_user, form.department_id.data, form.staff_id.data or None, form.kind.data,
                            form.received_on.data, form.source.data, form.summary.data,
                            request.files.get("evidence"))
    except Refusal as error:
        return refused(error, lambda message, status: _page(form, message, status=status))
    db.session.commit()
    return _page(message=f"已登记第 {row.id} 号表扬，并已按规则加分", ok=True)


@bp.route("/praise/<int:praise_id>")
@roles(*PRAISE_READERS)
def praise_one(praise_id):
    """Open one praise: the list, at that praise (the ledger's evidence link lands here)."""
    hall_record(Praise, praise_id, department_id=_own_unit())
    return _page()


@bp.route("/praise/<int:praise_id>/files/<token>")
@roles(*PRAISE_READERS)
def praise_file(praise_id, token):
    """Serve a praise's evidence to someone who may read it."""
    row = hall_record(Praise, praise_id, department_id=_own_unit())
    stored = uploads.by_token(token)
    if (stored.owner_type, stored.owner_id) != (praise.EVIDENCE, row.id):
        abort(404)
    return uploads.send(stored, embedded=True)
