"""What complaints cost or earn in the score ledger (考核记分), each event exactly once."""
from datetime import date

from sqlalchemy import select

from .. import clock
from ..extensions import db
from ..org.models import Department
from ..rulebook import calendar
from ..rulebook import service as rules
from ..scores import service as scores
from . import deadlines
from .models import VERIFIED, Complaint, ComplaintStep


def _evidence(case: Complaint) -> str:
    return f"complaint:{case.id}"


def charge_verified(case: Complaint, row: ComplaintStep, staff, serious: bool, by) -> None:
    """Deduct the staff member's and the unit's points for a verified complaint."""
    day, key = clock.today(), f"complaint-verified:{case.id}:{case.round}"
    if staff is not None:
        rule = "staff_points.attitude_complaint_serious" if serious else "staff_points.attitude_complaint"
        scores.record(staff, points=-rules.get(rule), rule="服务态度被投诉（查实）", source="complaint", day=day,
                      recorded_by=by, evidence=_evidence(case), key=f"{key}:staff")
    unit = db.session.get(Department, case.unit_id)
    scores.record(subject_department=unit, points=-rules.get("unit_points.verified_dissatisfaction"),
                  rule="查实的不满意（投诉）", source="complaint", day=day, recorded_by=by,
                  evidence=_evidence(case), key=f"{key}:unit")


def credit_praise(case: Complaint, row: ComplaintStep, staff, by) -> None:
    """Add the thanks-letter bonus for the person praised and the unit concerned."""
    day, key = clock.today(), f"complaint-praise:{case.id}"
    if staff is not None:
        scores.record(staff, points=rules.get("staff_points.bonus_thanks_letter"), rule="感谢信（表扬）",
                      source="complaint", day=day, recorded_by=by, evidence=_evidence(case), key=f"{key}:staff")
    unit_id = case.department_id or getattr(staff, "department_id", None)
    if unit_id:
        scores.record(subject_department=db.session.get(Department, unit_id),
                      points=rules.get("unit_points.bonus_thanks_letter"), rule="感谢信（表扬）", source="complaint",
                      day=day, recorded_by=by, evidence=_evidence(case), key=f"{key}:unit")


def charge_overdue(case: Complaint, today: date) -> int:
    """Deduct the unit's points for each overdue working day up to today, once per day; return the new ones."""
    if case.unit_id is None:
        return 0
    unit = db.session.get(Department, case.unit_id)
    added = 0
    for day in deadlines.overdue_days(case, today):
        added += scores.record(
            subject_department=unit, points=-rules.get("unit_points.complaint_overdue_per_day"),
            rule="投诉答复逾期", source="complaint", day=day, evidence=_evidence(case),
            key=f"complaint-overdue:{case.id}:{case.round}:{day}") is not None
    return added


def verified_days(hall_id: int, user_id: int) -> list[date]:
    """Return the days of the verified complaints about a person, oldest first."""
    rows = db.session.execute(select(ComplaintStep.at).join(Complaint).where(
        Complaint.hall_id == hall_id, Complaint.kind == "complaint", ComplaintStep.step == "verified",
        ComplaintStep.staff_id == user_id, ComplaintStep.value.in_(VERIFIED)).order_by(ComplaintStep.at)).scalars()
    return [deadlines.day_of(at) for at in rows]


def excluded_from_award(hall_id: int, user_id: int, first: date, last: date) -> bool:
    """Say whether the person had two verified complaints within 22 working days (rulebook) in this period."""
    need = rules.get("assessment.complaints_for_exclusion")
    span = rules.get("assessment.complaints_window_days")
    days = [d for d in verified_days(hall_id, user_id) if first <= d <= last]
    for i in range(len(days) - need + 1):
        if len(calendar.working_days(days[i], days[i + need - 1])) <= span:
            return True
    return False
