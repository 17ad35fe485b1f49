"""The daily complaints job: escalation of unsigned cases, 催办, overdue points once a day; award exclusion."""
from datetime import date, datetime

from sqlalchemy import select

from portal import clock
from portal.complaints import handling, jobs, points, service
from portal.extensions import db
from portal.scores.models import ScoreEvent
from tests.complaints_fixtures import at, new_case, people, person  # noqa: F401


def _events(rule_part=""):
    return db.session.execute(select(ScoreEvent).where(ScoreEvent.rule.contains(rule_part))
                              .order_by(ScoreEvent.day)).scalars().all()


def test_an_unsigned_case_is_escalated_to_the_general_duty_leader_once(app, hall, people, new_case):
    with app.app_context():
        case = new_case()
        service.send(person(people["duty"]), case, hall["tax"])
        jobs.run(hall["hall"], clock.now())
        assert not [s for s in case.steps if s.step == "escalated"]
        at(datetime(2026, 12, 4, 8, 30))
        lines = jobs.run(hall["hall"], clock.now()) + jobs.run(hall["hall"], clock.now())
        assert [s.step for s in case.steps].count("escalated") == 1
        assert len([line for line in lines if "总值班长" in line]) == 1


def test_a_missed_deadline_is_urged_the_day_after_and_costs_the_unit_each_overdue_day_once(app, hall, people,
                                                                                          new_case):
    with app.app_context():
        case = new_case("enquiry")  # reply due Tuesday 8 December
        service.send(person(people["duty"]), case, hall["tax"])
        service.accept(person(people["leader"]), case)
        at(datetime(2026, 12, 8, 17, 0))
        jobs.run(hall["hall"], clock.now())
        assert not [s for s in case.steps if s.step == "urged"] and not _events("逾期")
        at(datetime(2026, 12, 10, 9, 0))
        for _ in range(3):
            jobs.run(hall["hall"], clock.now())
        db.session.commit()
        assert [s.step for s in case.steps].count("urged") == 1
        charged = _events("逾期")
        assert [e.day for e in charged] == [date(2026, 12, 9), date(2026, 12, 10)]
        assert {e.centipoints for e in charged} == {-400} and {e.department_id for e in charged} == {hall["tax"]}


def test_a_verified_complaint_costs_the_staff_member_and_the_unit_once(app, hall, people, new_case):
    with app.app_context():
        case = new_case()
        service.send(person(people["duty"]), case, hall["tax"])
        service.accept(person(people["leader"]), case)
        handling.verify(person(people["leader"]), case, "true", "态度生硬属实", people["clerk"], serious=True)
        staff = [e for e in _events("投诉") if e.subject_user_id]
        unit = [e for e in _events("投诉") if not e.subject_user_id]
        assert [e.centipoints for e in staff] == [-500] and [e.centipoints for e in unit] == [-1000]


def _verified_on(when, case_maker, hall, people):
    case = case_maker(when=when)
    service.send(person(people["duty"]), case, hall["tax"])
    service.accept(person(people["leader"]), case)
    handling.verify(person(people["leader"]), case, "partly", "部分属实", people["clerk"])


def test_two_verified_complaints_within_22_working_days_exclude_from_the_award(app, hall, people, new_case):
    with app.app_context():
        _verified_on(datetime(2026, 12, 1, 10, 0), new_case, hall, people)
        _verified_on(datetime(2026, 12, 29, 10, 0), new_case, hall, people)  # the 21st working day
        assert points.excluded_from_award(hall["hall"], people["clerk"], date(2026, 12, 1), date(2026, 12, 31))
        assert not points.excluded_from_award(hall["hall"], people["leader"], date(2026, 12, 1), date(2026, 12, 31))


def test_verified_complaints_further_apart_do_not_exclude(app, hall, people, new_case):
    with app.app_context():
        _verified_on(datetime(2026, 12, 1, 10, 0), new_case, hall, people)
        _verified_on(datetime(2027, 1, 4, 10, 0), new_case, hall, people)
        assert not points.excluded_from_award(hall["hall"], people["clerk"], date(2026, 12, 1), date(2027, 1, 31))


def test_the_daily_command_charges_nothing_twice(app, hall, people, new_case):
    with app.app_context():
        case = new_case("urgent")
        service.send(person(people["duty"]), case, hall["tax"])
        service.accept(person(people["leader"]), case)
        db.session.commit()
    at(datetime(2026, 12, 7, 9, 0))  # Friday and Monday overdue
    runner = app.test_cli_runner()
    first = runner.invoke(args=["complaints-daily"])
    second = runner.invoke(args=["complaints-daily"])
    assert first.exit_code == 0 and "逾期扣分 2 天" in first.output and "已催办" in first.output
    assert second.exit_code == 0 and second.output == ""
    with app.app_context():
        assert len(_events("逾期")) == 2
