"""Complaint pages: the list, registering a case, the case page, the slip, the reply letter, the figures."""
from datetime import date

from flask import request
from flask_login import current_user

from .. import clock
from ..access import roles
from ..database import commit_write
from ..duty.service import may_run_desk
from ..extensions import db
from ..htmx import render
from ..once import once
from ..org import service as org
from ..org.models import Department
from ..pdf import pdf_response
from ..privacy import service as privacy
from ..records import hall_record, refuse_record
from ..refusals import Refusal, refused
from ..roles import READERS, Role
from . import bp, deadlines, figures, handling, service
from .forms import RegisterForm
from .models import STEPS, VERDICTS, VIEWS, Complaint

REVEALERS = (Role.ADMIN, Role.GENERAL_DUTY, Role.SUPERVISOR)


def _field(name):
    def load(case_id: int, viewer) -> str:
        case = hall_record(Complaint, case_id, hall_id=viewer.hall_id)
        return getattr(case, name)
    return load


def register_reveals() -> None:
    """Let the center reveal a complainant's name and phone in full (every reveal is audited)."""
    privacy.register("complaint.name", "name", REVEALERS, _field("name"))
    privacy.register("complaint.phone", "phone", REVEALERS, _field("phone"))


def load_case(case_id: int) -> Complaint:
    """Return a case of the hall the person may open, or an audited 404."""
    case = hall_record(Complaint, case_id)
    if not service.may_see(current_user, case):
        refuse_record("complaint", case_id, "not involved")
    return case


def _register_form(form=None):
    form = form or RegisterForm(formdata=None)
    hall = current_user.hall_id
    form.window_id.choices = [("", "（不涉及窗口）")] + [(str(w.id), f"{w.number} {w.name}")
                                                       for w in org.window_choices(hall)]
    form.department_id.choices = [("", "（按窗口确定）")] + [(str(d.id), d.name) for d in org.departments(hall)]
    return form


def _new_panel(message="", status=200, form=None):
    return render("complaints/new.html", "complaints/_new.html", status=status, form=_register_form(form),
                  message=message, ok=status == 200 and bool(message))


@bp.route("/")
@roles(*READERS)
def index():
    """List the open cases the person may open, with returns per unit."""
    show_all = request.args.get("all") == "1"
    units = {d.id: d.name for d in org.departments(current_user.hall_id)}
    return render("complaints/index.html", "complaints/_index.html", show_all=show_all, units=units,
                  cases=service.visible_cases(current_user, open_only=not show_all),
                  returns=service.returns_by_unit(current_user.hall_id), of=deadlines.of)


@bp.route("/new")
@roles(*READERS)
def new():
    """Show the registration form (受理登记); whoever holds the desk logs it at the desk by default."""
    form = RegisterForm(formdata=None)
    form.at_desk.data = may_run_desk(current_user)
    return _new_panel(form=form)


@bp.route("/new", methods=["POST"])
@roles(*READERS)
@once
def create():
    """Register a case; a case taken at the duty desk is also the desk's log item (entered once)."""
    form = _register_form(RegisterForm())
    if not form.validate_on_submit():
        return _new_panel("请检查填写的内容", 422, form)
    try:
        case = service.register(current_user, channel=form.channel.data, kind=form.kind.data, text=form.text.data,
                                name=form.name.data, phone=form.phone.data, window_id=form.window_id.data or None,
                                department_id=form.department_id.data or None)
        if form.at_desk.data:
            service.log_at_desk(current_user, case)
    except Refusal as e:
        return refused(e, _new_panel, form=form)
    commit_write()
    return case_panel(case, f"已受理：{case.number}", slip=True)


def case_panel(case: Complaint, message: str = "", status: int = 200, slip: bool = False, **_ignored):
    """Render the case: deadlines, owners, history and the actions the person may take."""
    hall = current_user.hall_id
    unit_people = org.people(hall, case.unit_id, active_only=True) if case.unit_id else []
    return render("complaints/case.html", "complaints/_case.html", status=status, case=case, message=message,
                  ok=status == 200 and bool(message),
                  dl=deadlines.of(case), owners=deadlines.owners(case), steps=STEPS, verdicts=VERDICTS,
                  views=VIEWS, slip=slip, units=org.departments(hall), unit_people=unit_people,
                  center=service.is_center(current_user), leads=service.leads_unit(current_user, case.unit_id),
                  pending=handling.extension_pending(case), verified=handling.verified(case),
                  first_owner=case.first_owner_id == current_user.id)


@bp.route("/<int:case_id>")
@roles(*READERS)
def case(case_id):
    """Show a case with every deadline, every owner and its whole history."""
    return case_panel(load_case(case_id))


@bp.route("/<int:case_id>/slip")
@roles(*READERS)
def slip(case_id):
    """Print the complainant's slip with the case number and query code (回执)."""
    return render("complaints/slip.html", "complaints/slip.html", case=load_case(case_id))


@bp.route("/<int:case_id>/letter.pdf")
@roles(*READERS)
def letter(case_id):
    """Print the formal reply letter (答复函) in the document layout."""
    case = load_case(case_id)
    reply = deadlines.last(case.steps, "replied")
    if reply is None:
        return case_panel(case, "尚未答复，没有答复函", 409)
    unit = db.session.get(Department, case.unit_id) if case.unit_id else None
    return pdf_response("complaints/reply_letter.html", f"投诉答复函-{case.number}.pdf", case=case, reply=reply,
                        unit=unit, hall=org.hall_of(current_user))


@bp.route("/figures")
@roles(Role.ADMIN, Role.GENERAL_DUTY, Role.SUPERVISOR)
def figures_page():
    """Show a month's figures by unit, channel or kind (投诉统计)."""
    today = clock.today()
    try:
        year, month = (int(p) for p in request.args.get("month", f"{today:%Y-%m}").split("-"))
        date(year, month, 1)
    except ValueError:
        year, month = today.year, today.month
    by = request.args.get("by", "unit")
    by = by if by in figures.DIMENSIONS else "unit"
    return render("complaints/figures.html", "complaints/figures.html", rows=figures.month(
        current_user.hall_id, year, month, by), by=by, dimensions=figures.DIMENSIONS, month=f"{year}-{month:02d}")
