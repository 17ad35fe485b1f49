"""Pages of the score ledger (考核台账): month totals, drill-down, evidence, void, manual entries."""
from flask import abort, redirect, request, url_for
from flask_login import current_user
from werkzeug.routing import BuildError

from .. import clock
from ..access import roles
from ..auth.models import User
from ..extensions import db
from ..htmx import render
from ..months import from_args as requested_month
from ..once import once
from ..org import service as org
from ..org.models import Department
from ..records import hall_record
from ..refusals import refused
from ..roles import INSPECTORS, READERS, Role
from ..uploads import service as uploads
from . import bp, service
from .forms import ManualForm, VoidForm
from .models import ScoreEvent


def _neighbours(year: int, month: int) -> dict:
    prev = (year - 1, 12) if month == 1 else (year, month - 1)
    nxt = (year + 1, 1) if month == 12 else (year, month + 1)
    return {"prev": f"{prev[0]}-{prev[1]:02d}", "next": f"{nxt[0]}-{nxt[1]:02d}", "this": f"{year}-{month:02d}",
            "label": f"{year}年{month}月"}


@bp.route("/")
@roles(*READERS)
def index():
    """Show the month's totals per window unit and per person, as far as this person may see."""
    year, month = requested_month()
    user = current_user
    if service.sees_all(user):
        dept_id = None
    elif user.has_role(Role.WINDOW_LEADER) and user.department_id:
        dept_id = user.department_id
    else:
        return redirect(url_for("scores.person", user_id=user.id, month=f"{year}-{month:02d}"))
    people = service.person_totals(user.hall_id, year, month, dept_id)
    units = service.unit_totals(user.hall_id, year, month, dept_id, people)
    return render("scores/index.html", "scores/_index.html", units=units, people=people,
                  m=_neighbours(year, month), can_record=user.has_role(*INSPECTORS))


@bp.route("/people/<int:user_id>")
@roles(*READERS)
def person(user_id):
    """List a person's events of the month with the running total."""
    year, month = requested_month()
    subject = hall_record(User, user_id)
    if subject.id != current_user.id and not service.may_see_unit(current_user, subject.department_id):
        abort(403)
    rows = service.events(current_user.hall_id, year, month, user_id=subject.id)
    total = service.person_total(current_user.hall_id, year, month, subject.id)
    return render("scores/person.html", "scores/_events.html", subject=subject, rows=rows,
                  voided=service.voided_ids(r.id for r in rows), total=total,
                  m=_neighbours(year, month), panel_title=f"{subject.name} 的考核记录")


@bp.route("/units/<int:department_id>")
@roles(*READERS)
def unit(department_id):
    """List a window unit's own events and the deductions its staff pass on to it."""
    year, month = requested_month()
    dept = hall_record(Department, department_id)
    if not service.may_see_unit(current_user, dept.id):
        abort(403)
    rows = service.events(current_user.hall_id, year, month, department_id=dept.id, unit_only=True)
    return render("scores/unit.html", "scores/_events.html", dept=dept, rows=rows,
                  voided=service.voided_ids(r.id for r in rows), unit_total=service.unit_total(dept, year, month),
                  m=_neighbours(year, month), panel_title=f"{dept.name} 的考核记录")


def _event_or_404(event_id: int) -> ScoreEvent:
    event = hall_record(ScoreEvent, event_id)
    if not service.may_see_event(current_user, event):
        abort(403)
    return event


def _evidence(event: ScoreEvent):
    """Return the evidence's photos and, for those allowed, a link to its record."""
    if ":" not in event.evidence:
        return [], None
    kind, _, raw = event.evidence.partition(":")
    if not raw.isdigit():
        return [], None
    files = uploads.files_of(kind, [int(raw)])[int(raw)]
    link = service.evidence_link(kind)
    url = None
    if link and current_user.has_role(*link[2]):
        try:
            url = url_for(link[0], **{link[1]: int(raw)})
        except BuildError:
            url = None
    return files, url


def _event_panel(event: ScoreEvent, form=None, message: str = "", ok: bool = False, status: int = 200):
    """Render one event with its evidence, its reversal and (to voiders) the void form."""
    files, link = _evidence(event)
    reversal = db.session.query(ScoreEvent).filter_by(reverses_id=event.id).one_or_none()
    can_void = current_user.has_role(*INSPECTORS) and event.reverses_id is None and reversal is None
    return render("scores/event.html", "scores/_event.html", status=status, event=event, files=files,
                  evidence_url=link, evidence_label=service.evidence_label(event.evidence.partition(":")[0]),
                  reversal=reversal, form=form or VoidForm(), message=message, ok=ok,
                  can_void=can_void)


@bp.route("/events/<int:event_id>")
@roles(*READERS)
def event(event_id):
    """Show one event with its evidence (photos, the patrol record) and its void, if any."""
    return _event_panel(_event_or_404(event_id))


@bp.route("/events/<int:event_id>/void", methods=["POST"])
@roles(*INSPECTORS)
@once
def void(event_id):
    """Void an event (申诉成立): a reversing event with the reason; the original stays."""
    event = _event_or_404(event_id)
    form = VoidForm()
    if not form.validate_on_submit():
        return _event_panel(event, form, "请填写撤销理由", status=422)
    try:
        service.void(event, form.reason.data, current_user)
    except service.ScoreError as error:
        return refused(error, _event_panel, event=event, form=form)
    db.session.commit()
    return _event_panel(event, message="已撤销，原记录保留并加记一条冲正记录", ok=True)


@bp.route("/events/<int:event_id>/files/<token>")
@roles(*READERS)
def evidence_file(event_id, token):
    """Serve a photo of an event's evidence to someone who may see the event."""
    event = _event_or_404(event_id)
    stored = uploads.by_token(token)
    if f"{stored.owner_type}:{stored.owner_id}" != event.evidence:
        abort(404)
    return uploads.send(stored, embedded=True)  # shown as a photo on the event


def _subjects(hall_id: int) -> list[tuple[str, str]]:
    units = [(f"d{d.id}", f"单位：{d.name}") for d in org.departments(hall_id, "window_unit", True)]
    people = [(f"u{p.id}", f"个人：{p.name}（{p.department.name if p.department else '—'}）")
              for p in org.people(hall_id, active_only=True)]
    return units + people


@bp.route("/manual", methods=["GET", "POST"])
@roles(*INSPECTORS)
@once
def manual():
    """Record a deduction or a bonus by hand, e.g. a thanks letter or a verified complaint."""
    form = ManualForm()
    form.subject.choices = _subjects(current_user.hall_id)
    if request.method == "GET":
        form.day.data = clock.today()
    message, status = "", 200
    if form.validate_on_submit():
        kind, ident = form.subject.data[0], int(form.subject.data[1:])
        target = hall_record(User if kind == "u" else Department, ident)
        event = service.record(target if kind == "u" else None, target if kind == "d" else None,
                               points=form.points.data, rule=form.rule.data, source="manual",
                               day=form.day.data, recorded_by=current_user, note=form.note.data or "")
        db.session.commit()
        return redirect(url_for("scores.event", event_id=event.id))
    if request.method == "POST":
        message, status = "请检查填写的内容", 422
    return render("scores/manual.html", "scores/_manual.html", status=status, form=form, message=message)

