"""The month of attendance results: the hall's grid for the admin, and one person's month."""
from datetime import date

from flask import render_template, request
from flask_login import current_user

from .. import clock
from ..access import roles
from ..auth.models import User
from ..records import hall_record
from ..roles import ATTENDANCE_KEEPERS, ATTENDANCE_MONTH, READERS
from ..rulebook import calendar
from . import bp, sheet
from .hours import HALF_LABELS


def _month() -> tuple[int, int]:
    """Read ?month=YYYY-MM, defaulting to this month."""
    try:
        first = date.fromisoformat(f"{request.args.get('month', '')}-01")
    except ValueError:
        first = clock.today().replace(day=1)
    return first.year, first.month


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


@bp.route("/month")
@roles(*ATTENDANCE_MONTH)
def month_grid():
    """Show the month of the hall (or of a window leader's department): each person's half days and totals."""
    year, month = _month()
    people = sheet.hall_people(current_user.hall_id, _own_department())
    rows = sheet.month_sheet(current_user.hall_id, year, month, people)
    return render_template("attendance/month.html", rows=rows, **_context(year, month))


def _person_page(person: User, endpoint: str, **args):
    year, month = _month()
    row = sheet.month_sheet(person.hall_id, year, month, [person])[0]
    return render_template("attendance/person.html", row=row, endpoint=endpoint, args=args, **_context(year, month))


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
