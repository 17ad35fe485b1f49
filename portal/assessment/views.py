"""Pages of the monthly assessment (月度考核): the month's ranking, a unit's or a person's sheet, objections."""
from datetime import datetime

from flask import abort, redirect, request, url_for
from flask_login import current_user

from .. import clock
from ..access import roles
from ..auth.models import User
from ..htmx import render
from ..org.models import Department
from ..records import hall_record
from ..roles import INSPECTORS, READERS, Role
from . import bp, objections, seeing
from . import sheet as sheets
from .forms import ObjectionForm, RulingForm
from .models import STATES
from .months import in_objection_period


def chosen_month() -> tuple[int, int]:
    """Return the month named by ?month=YYYY-MM, or last month (the one being assessed)."""
    try:
        picked = datetime.strptime(request.args.get("month", ""), "%Y-%m")
        return picked.year, picked.month
    except ValueError:
        today = clock.today()
        return sheets.previous(today.year, today.month)


def month_nav(year: int, month: int) -> dict:
    """Return the labels and keys of the month and its neighbours, for the month switcher."""
    (py, pm), (ny, nm) = sheets.previous(year, month), sheets.following(year, month)
    return {"prev": f"{py}-{pm:02d}", "next": f"{ny}-{nm:02d}", "this": f"{year}-{month:02d}",
            "label": f"{year}年{month}月"}


def month_panel(message: str = "", status: int = 200, level: str | None = None):
    """Render the month's page: its state, the actions open to this person, the ranking they may see."""
    year, month = chosen_month()
    result = sheets.month(current_user.hall_id, year, month)
    units, people = result.units, result.people
    if not seeing.sees_ranking(current_user, result.record):
        units = [s for s in units if s.department_id == current_user.department_id]
        people = [s for s in people if s.department_id == current_user.department_id]
    return render("assessment/index.html", "assessment/_month.html", status=status, result=result,
                  units=units, people=people, m=month_nav(year, month), states=STATES, message=message,
                  level=level or ("error" if status >= 400 else "ok"), finished=_finished(year, month),
                  pending=_pending(result), can=_can(result, _finished(year, month)))


def _finished(year: int, month: int) -> bool:
    today = clock.today()
    return (year, month) < (today.year, today.month)


def _can(result, finished: bool) -> dict:
    """Say which of the month's actions this person is offered now."""
    user, open_ = current_user, result.state in ("draft", "reviewed")
    return {"review": user.has_role(Role.SUPERVISOR) and finished and open_,
            "publish": user.has_role(Role.ADMIN) and finished and open_,
            "close": user.has_role(Role.ADMIN) and result.state == "published",
            "print": user.has_role(*INSPECTORS), "all": seeing.sees_all(user)}


def _pending(result) -> int:
    if result.record is None or not result.frozen:
        return 0
    return sum(1 for o in objections.of_month(result.record) if o.state == "pending")


@bp.route("/")
@roles(*READERS)
def index():
    """Show the month's assessment: the ranking of units and staff as far as this person may see."""
    if not seeing.sees_all(current_user) and not current_user.has_role(Role.WINDOW_LEADER):
        return redirect(url_for("assessment.person", user_id=current_user.id, month=request.args.get("month")))
    return month_panel()


def sheet_panel(result, sheet, message: str = "", status: int = 200, form=None, line_id=None):
    """Render one sheet with its lines, their evidence, objections and (to its unit's leader) objection forms."""
    full = sheets.with_lines(result, sheet)
    record = result.record
    raised = objections.of_month(record, sheet.department_id) if result.frozen else []
    year, month = result.year, result.month
    this = f"{year}-{month:02d}"
    return render("assessment/sheet.html", "assessment/_sheet.html", status=status, result=result, sheet=full,
                  m=month_nav(year, month), message=message, level="error" if status >= 400 else "ok",
                  raised={o.line_id: o for o in raised}, form=form or ObjectionForm(), form_line=line_id,
                  can_object=result.frozen and seeing.may_object(current_user, record, sheet.department_id),
                  evidence=lambda line: seeing.proof_url(current_user, line, full, line.origin or this),
                  in_period=in_objection_period(record))


@bp.route("/units/<int:department_id>")
@roles(*READERS)
def unit(department_id):
    """Show a window unit's sheet of the month: each category, bonus and adjustment, down to its events."""
    dept = hall_record(Department, department_id)
    if not seeing.may_see_unit(current_user, dept.id):
        abort(403)
    result, sheet = sheets.month_and_sheet(current_user.hall_id, *chosen_month(), department_id=dept.id)
    return sheet_panel(result, sheet or abort(404))


@bp.route("/people/<int:user_id>")
@roles(*READERS)
def person(user_id):
    """Show a person's sheet of the month, down to its events."""
    subject = hall_record(User, user_id)
    result, found = sheets.month_and_sheet(current_user.hall_id, *chosen_month(), user_id=subject.id)
    department_id = found.department_id if found else subject.department_id
    if not seeing.may_see_person(current_user, subject.id, department_id):
        abort(403)
    if found is None:
        return render("assessment/none.html", "assessment/_none.html", subject=subject,
                      m=month_nav(result.year, result.month))
    return sheet_panel(result, found)


def objections_panel(message: str = "", status: int = 200, form=None, objection_id=None):
    """Render the month's objections with the ruling forms for the inspection office."""
    year, month = chosen_month()
    result = sheets.month(current_user.hall_id, year, month)
    rows = objections.of_month(result.record) if result.frozen else []
    return render("assessment/objections.html", "assessment/_objections.html", status=status, rows=rows,
                  result=result, m=month_nav(year, month), message=message, form=form or RulingForm(),
                  form_for=objection_id, level="error" if status >= 400 else "ok",
                  can_rule=current_user.has_role(Role.SUPERVISOR))


@bp.route("/objections")
@roles(*INSPECTORS)
def objection_list():
    """List the month's objections and their rulings (异议及裁定)."""
    return objections_panel()
