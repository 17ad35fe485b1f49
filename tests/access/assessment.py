"""Access to the monthly assessment (月度考核)."""
from portal.roles import Role

READERS = {r for r in Role if r != Role.AUDITOR}
ALL_SHEETS = {Role.ADMIN, Role.SUPERVISOR, Role.GENERAL_DUTY}
INSPECTORS = {Role.ADMIN, Role.SUPERVISOR}

ROUTES = {
    "assessment.index": (READERS, {}),  # staff are sent on to their own sheet
    "assessment.unit": (ALL_SHEETS, {"department_id": "assessment_other_dept"}),
    "assessment.person": (ALL_SHEETS | {Role.WINDOW_LEADER}, {"user_id": "person"}),
    "assessment.objection_list": (INSPECTORS, {}),
    "assessment.review": ({Role.SUPERVISOR}, {}),
    "assessment.publish": ({Role.ADMIN}, {}),
    "assessment.close": ({Role.ADMIN}, {}),
    "assessment.print_sheets": (INSPECTORS, {}),
    "assessment.object_line": ({Role.WINDOW_LEADER}, {"line_id": "assessment_line"}),
    "assessment.rule": ({Role.SUPERVISOR}, {"objection_id": "assessment_objection"}),
}


def seed(ids):
    from datetime import date

    from portal import clock
    from portal.assessment.models import AssessmentLine, AssessmentMonth, AssessmentObjection, AssessmentSheet
    from portal.extensions import db
    from portal.org.models import Department
    other = Department(hall_id=ids["hall"], name="矩阵考核其他单位", kind="window_unit")
    month = AssessmentMonth(hall_id=ids["hall"], year=2025, month=6, state="published",
                            objection_until=date(2099, 1, 1))
    db.session.add_all([other, month])
    db.session.flush()
    sheet = AssessmentSheet(month_id=month.id, department_id=ids["dept"], base_centi=10000, cap_centi=11000,
                            categories=[], total_centi=9500, rank=1)
    db.session.add(sheet)
    db.session.flush()
    line = AssessmentLine(sheet_id=sheet.id, kind="deduction", category="other", centipoints=-500,
                          day=date(2025, 6, 3), rule="矩阵扣分", source="manual")
    db.session.add(line)
    db.session.flush()
    objection = AssessmentObjection(month_id=month.id, line_id=line.id, department_id=ids["dept"],
                                    raised_by_id=ids["person"], raised_at=clock.now(), reason="矩阵异议")
    db.session.add(objection)
    db.session.commit()
    ids.update(assessment_other_dept=other.id, assessment_line=line.id, assessment_objection=objection.id)
