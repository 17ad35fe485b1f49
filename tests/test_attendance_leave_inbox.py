"""Leave and 补卡 in the inbox: the approver at the current step, the desk, and emergency paperwork due."""
from datetime import date, datetime, time

from portal.attendance import corrections, leave
from portal.extensions import db
from tests.attendance_fixtures import frozen  # noqa: F401
from tests.inbox_fixtures import sources_of, waiting
from tests.leave_fixtures import ask, people, person  # noqa: F401

TUE_TEN = datetime(2026, 12, 1, 10, 0)


def test_a_long_leave_waits_for_the_unit_leader_then_for_the_center_director(app, frozen, people, person, ask):
    with app.app_context():
        row = ask(date(2026, 12, 3), date(2026, 12, 4))
        row_id = str(row.id)
    assert ("attendance.leave", "请假待审批", row_id) in waiting(app, people["unit"], TUE_TEN)
    assert "attendance.leave" not in sources_of(app, people["admin"], TUE_TEN)
    assert "attendance.leave" not in sources_of(app, people["general"], TUE_TEN)
    with app.app_context():
        leave.decide(person(people["unit"]), int(row_id), True, substitute_id=people["mate"])
        db.session.commit()
    assert "attendance.leave" not in sources_of(app, people["unit"], TUE_TEN)
    assert ("attendance.leave", "请假待审批", row_id) in waiting(app, people["admin"], TUE_TEN)


def test_emergency_paperwork_waits_for_the_person_until_filed(app, frozen, people, person):
    with app.app_context():
        row = leave.record_emergency(person(people["general"]), people["clerk"], "sick", "急病",
                                     date(2026, 12, 1), "am", date(2026, 12, 1), "pm")
        db.session.commit()
        row_id = row.id
    assert ("attendance.paperwork", "紧急请假待补办手续", str(row_id)) in waiting(app, people["clerk"], TUE_TEN)
    with app.app_context():
        leave.file_paperwork(person(people["clerk"]), row_id)
        db.session.commit()
    assert "attendance.paperwork" not in sources_of(app, people["clerk"], TUE_TEN)


def test_a_correction_is_a_desk_item_for_the_duty_leader(app, frozen, people, person):
    from portal.attendance import inbox
    from portal.inbox import registry
    with app.app_context():
        row = corrections.ask(person(people["clerk"]), date(2026, 11, 30), time(8, 0), "忘记打卡")
        db.session.commit()
        row_id = row.id
    with app.test_request_context():
        assert {s.name: s.desk for s in registry.sources()}["attendance.correction"] is True
        items = inbox.corrections_to_decide(person(people["general"]), person(people["clerk"]).hall_id, TUE_TEN)
        assert [(i.title, i.record_id) for i in items] == [("补卡待审批", row_id)]
        assert inbox.corrections_to_decide(person(people["clerk"]), person(people["clerk"]).hall_id, TUE_TEN) == []
