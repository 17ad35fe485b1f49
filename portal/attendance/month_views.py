"""The month of attendance results: the hall's grid for the admin, and one person's month."""
from datetime import date
from urllib.parse import quote

from flask import flash, make_response, redirect, render_template, url_for
from flask_login import current_user

from .. import clock
from ..access import roles
from ..audit import service as audit
from ..auth.models import User
from ..extensions import db
from ..months import from_args as requested_month
from ..once import once
from ..records import hall_record
from ..refusals import Refusal
from ..roles import ATTENDANCE_KEEPERS, ATTENDANCE_MONTH, PATROL_READERS, READERS
from ..rulebook import calendar
from . import bp, grid, monthly, office, sheet
from .hours import HALF_LABELS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _neighbours(year: int, month: int) -> tuple[str, str]:
    before = f"{year - 1}-12" if month == 1 else f"{year}-{month - 1:02d}"
    after = f"{year + 1}-01" if month == 12 else f"{year}-{month + 1:02d}"
    return before, after


def _context(year, month):
    days = sheet.month_days(year, month)
    before, after = _neighbours(year, month)
    return {"year": year, "month": month, "days": days, "named": calendar.describe(days[0], days[-1]),
            "before": before, "after": after, "halves": HALF_LABELS}


def _own_department() -> int | None:
    """Return the department a window leader is limited to; None for those who see the whole hall."""
    return None if current_user.has_role(*ATTENDANCE_KEEPERS) else current_user.department_id or -1


@bp.route("/")
@roles(*READERS)
def index():
    """Open the month the person may see: the hall's (or department's) grid, otherwise their own month."""
    return redirect(url_for("attendance.month_grid" if current_user.has_role(*ATTENDANCE_MONTH)
                            else "attendance.my_month"))


@bp.route("/month")
@roles(*ATTENDANCE_MONTH)
def month_grid():
    """Show the month of the hall (or of a window leader's department): each person's half days and totals."""
    year, month = requested_month()
    people = sheet.hall_people(current_user.hall_id, _own_department())
    rows = sheet.month_sheet(current_user.hall_id, year, month, people, with_findings=True)
    context, hall_id = _context(year, month), current_user.hall_id
    return render_template("attendance/month.html", rows=rows, cells=grid.day_cells(rows, context["days"]),
                           closed=monthly.closed(hall_id, date(year, month, 1)), keepers=ATTENDANCE_KEEPERS,
                           running=date(year, month, 1) >= clock.today().replace(day=1),
                           see_patrol=current_user.has_role(*PATROL_READERS),
                           scores=office.scores_of(hall_id, year, month, people), **context)


def _person_page(person: User, endpoint: str, **args):
    year, month = requested_month()
    row = sheet.month_sheet(person.hall_id, year, month, [person], with_findings=True)[0]
    score = office.scores_of(person.hall_id, year, month, [person]).get(person.id)
    return render_template("attendance/person.html", row=row, endpoint=endpoint, args=args, score=score,
                           see_patrol=current_user.has_role(*PATROL_READERS),
                           **_context(year, month))


@bp.route("/people/<int:user_id>")
@roles(*ATTENDANCE_MONTH)
def person_month(user_id):
    """Show one person's month, day by day, with the punches behind each result."""
    person = hall_record(User, user_id, department_id=_own_department())
    return _person_page(person, "attendance.person_month", user_id=user_id)


@bp.route("/me")
@roles(*READERS)
def my_month():
    """Show the signed-in person's own month."""
    return _person_page(current_user, "attendance.my_month")


@bp.route("/month/sheet.xlsx")
@roles(*ATTENDANCE_KEEPERS)
def month_xlsx():
    """Download the month's sheet (per department and person) as an .xlsx workbook."""
    year, month = requested_month()
    audit.record("export.attendance_month", "hall", current_user.hall_id, detail={"month": f"{year}-{month:02d}"})
    db.session.commit()
    answer = make_response(monthly.xlsx(current_user.hall_id, year, month))
    answer.headers["Content-Type"] = XLSX
    answer.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(f'考勤-{year}-{month:02d}.xlsx')}"
    return answer


@bp.route("/month/publish", methods=["POST"])
@roles(*ATTENDANCE_KEEPERS)
@once
def month_publish():
    """Publish a finished month as a 公示 on the notice board, its PDF numbered; the month is then closed."""
    from ..org import service as org
    year, month = requested_month()
    try:
        row = monthly.publish(org.hall_of(current_user), year, month, current_user)
    except Refusal as e:
        db.session.rollback()
        flash(e.message, "error")
        return redirect(url_for("attendance.month_grid", month=f"{year}-{month:02d}"), 303)
    return redirect(url_for("notices.show", notice_id=row.notice_id), 303)
