"""Pages of the half-yearly feedback to department heads (半年反馈) and the year's report (年度报告); both print."""
from flask import abort, request
from flask_login import current_user

from .. import clock
from ..access import roles
from ..audit import service as audit
from ..extensions import db
from ..htmx import render
from ..org import service as org
from ..pdf import pdf_response
from ..roles import LEDGER_ALL, Role
from . import bp, feedback, seeing

FEEDBACK_ROLES = (*LEDGER_ALL, Role.WINDOW_LEADER)


def _period() -> tuple[int, int]:
    """Return the year and half named by ?year=&half=, or the last finished half year."""
    today = clock.today()
    default = (today.year, 1) if today.month > 6 else (today.year - 1, 2)
    year = request.args.get("year", type=int) or default[0]
    half = request.args.get("half", type=int)
    return year, half if half in feedback.HALVES else default[1]


def _department() -> int | None:
    """Return the department asked for: a window leader's own; the center's choice (None: not chosen yet)."""
    wanted = request.args.get("department_id", type=int)
    if not seeing.sees_all(current_user):
        return current_user.department_id or abort(404)
    if wanted is not None and not seeing.may_see_unit(current_user, wanted):
        abort(404)
    return wanted


def _feedback_context() -> dict:
    year, half = _period()
    dept_id = _department()
    units = org.departments(current_user.hall_id, "window_unit", True)
    if dept_id is not None and dept_id not in {u.id for u in units}:
        abort(404)
    report = feedback.half_year(current_user.hall_id, year, half, dept_id) if dept_id else None
    return {"year": year, "half": half, "dept": next((u for u in units if u.id == dept_id), None),
            "units": units if seeing.sees_all(current_user) else [], "report": report}


@bp.route("/feedback")
@roles(*FEEDBACK_ROLES)
def feedback_page():
    """Show a department's half year: its unit's and staff's months side by side, and the unit's chart."""
    return render("assessment/feedback/index.html", "assessment/feedback/_index.html", **_feedback_context())


@bp.route("/feedback.pdf")
@roles(*FEEDBACK_ROLES)
def feedback_pdf():
    """Print a department's half-yearly feedback (半年考核情况反馈)."""
    context = _feedback_context()
    if context["report"] is None:
        abort(404)
    audit.record("export.assessment_feedback", "department", context["dept"].id,
                 detail={"period": f"{context['year']}-H{context['half']}"})
    db.session.commit()
    return pdf_response("pdf/assessment_feedback.html",
                        f"考核反馈-{context['dept'].name}-{context['year']}年{'上下'[context['half'] - 1]}半年.pdf",
                        hall=org.hall_of(current_user), **context)


def _year() -> int:
    return request.args.get("year", type=int) or clock.today().year - (clock.today().month == 1)


@bp.route("/report")
@roles(*LEDGER_ALL)
def year_report():
    """Show the year's report: every unit's and person's months, red flags, each unit's chart."""
    year = _year()
    return render("assessment/feedback/year.html", "assessment/feedback/_year.html", year=year,
                  report=feedback.whole_year(current_user.hall_id, year))


@bp.route("/report.pdf")
@roles(*LEDGER_ALL)
def year_report_pdf():
    """Print the year's assessment report (年度考核情况报告)."""
    year, hall = _year(), org.hall_of(current_user)
    audit.record("export.assessment_year", "hall", hall.id, detail={"year": year})
    db.session.commit()
    return pdf_response("pdf/assessment_year.html", f"年度考核报告-{year}年.pdf", hall=hall, year=year,
                        report=feedback.whole_year(current_user.hall_id, year))
