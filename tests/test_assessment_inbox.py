"""The assessment in the inbox: last month to review, to publish, the unit's published sheet, objections, closing."""
from datetime import datetime

from portal.assessment import months, objections
from portal.assessment.models import AssessmentLine
from portal.extensions import db
from portal.org.models import Hall
from tests.assessment_fixtures import frozen, ledger, person, staff  # noqa: F401
from tests.inbox_fixtures import waiting


def _mine(app, user_id, moment=None):
    return [(title, record) for source, title, record in waiting(app, user_id, moment)
            if source.startswith("assessment.")]


def test_the_month_moves_through_the_inbox_of_whoever_acts_next(app, hall, staff, person, ledger, frozen):
    ledger(-5, unit="tax", rule="巡查：窗口空岗", source="patrol")
    assert _mine(app, staff["supervisor"]) == [("月度考核待复核", "2026-11")]
    assert _mine(app, staff["admin"]) == []
    with app.app_context():
        months.review(hall["hall"], 2026, 11, person(staff["supervisor"]))
        db.session.commit()
    assert _mine(app, staff["supervisor"]) == [] and _mine(app, staff["admin"]) == [("月度考核待公示", "2026-11")]
    with app.app_context():
        record = months.publish(db.session.get(Hall, hall["hall"]), 2026, 11, person(staff["admin"]))
        month_id = record.id
    assert _mine(app, staff["leader"]) == [("月度考核结果已公示", str(month_id))]
    assert _mine(app, staff["clerk"]) == []
    with app.app_context():
        line = db.session.query(AssessmentLine).filter_by(rule="巡查：窗口空岗").one()
        raised = objections.raise_(months.record_of(hall["hall"], 2026, 11), line.id, person(staff["leader"]), "有人")
        db.session.commit()
        objection_id = raised.id
    assert _mine(app, staff["supervisor"]) == [("考核异议待裁定", str(objection_id))]
    after = datetime(2026, 12, 10, 9, 0)
    assert _mine(app, staff["leader"], after) == []
    assert ("月度考核待结束", "2026-11") in _mine(app, staff["admin"], after)
