"""Attendance charges by the rulebook: the office staff's 100-point scale, and a 缺卡 not corrected in time."""
from datetime import date, datetime, time
from decimal import Decimal

import pytest

from portal import clock
from portal.attendance import corrections, leave, office, points
from portal.attendance.corrections import CorrectionError
from portal.attendance.models import DeviceUser
from portal.extensions import db
from portal.rulebook import service as rules
from portal.scores import service as scores
from portal.scores.models import ScoreEvent
from tests.conftest import sign_in
from tests.leave_fixtures import ask, people, person  # noqa: F401
from tests.test_attendance_leave_days import THU, _full_day, _live, later, mapped  # noqa: F401

FRI = date(2026, 12, 4)


def _unit_rules():
    return sorted(e.rule for e in db.session.query(ScoreEvent).filter_by(subject_user_id=None))


def test_office_staff_are_charged_on_the_hundred_point_scale_and_cost_no_unit(
        app, client, later, people, person, mapped):
    with app.app_context():
        general = person(people["general"])
        db.session.add(DeviceUser(hall_id=general.hall_id, source="zkteco", device_user_id="3", user_id=general.id,
                                  mapped_at=clock.now()))
        db.session.commit()
        _full_day(mapped, "3", first=time(8, 45))  # late on Thursday; no punch at all on Friday
        for day in (THU, FRI):
            points.close_day(general.hall_id, day)
        db.session.commit()
        mine = sorted((e.rule, e.points) for e in _live(general.id))
        assert mine == [("旷工半天", Decimal("-1")), ("旷工半天", Decimal("-1")), ("迟到", Decimal("-0.5"))]
        assert not any("孙总值班长" in r for r in _unit_rules()), "the center office is not a window unit"
        assert "旷工：赵六" in _unit_rules(), "a window unit still pays for its staff"
        scores = office.scores_of(general.hall_id, 2026, 12, [general, person(people["clerk"])])
        assert list(scores) == [general.id] and scores[general.id].score == Decimal("97.5")
        assert not scores[general.id].below
        assert rules.change("attendance.office_bonus_threshold", "98", person(people["admin"])) is None
    sign_in(client, "director")
    page = client.get("/attendance/month?month=2026-12").get_data(as_text=True)
    assert "97.5" in page and "低于 98 分，影响奖金" in page
    mine = client.get(f"/attendance/people/{people['general']}?month=2026-12").get_data(as_text=True)
    assert "100 分制" in mine and "97.5" in mine


def _missed_afternoon(mapped):
    for t in (time(7, 58), time(12, 1), time(14, 25)):  # no sign-out on Thursday afternoon
        mapped("1", datetime.combine(THU, t))


def test_a_missed_punch_not_corrected_within_the_window_is_charged_once_by_the_rulebook(
        app, later, people, person, mapped):
    with app.app_context():
        clerk = person(people["clerk"])
        _missed_afternoon(mapped)
        assert corrections.last_day_to_ask(THU) == date(2026, 12, 8)
        points.close_day(clerk.hall_id, THU)
        db.session.commit()
        assert _live(clerk.id) == [], "a 补卡 may still come"
        clock.freeze(datetime(2026, 12, 9, 9, 0))
        for _ in range(2):
            points.close_day(clerk.hall_id, date(2026, 12, 8))
            points.close_day(clerk.hall_id, THU)
        db.session.commit()
        thursday = [(e.rule, e.points) for e in _live(clerk.id) if e.day == THU]
        assert thursday == [("缺卡未补", -rules.get("staff_points.late_early_away"))]
        assert [r for r in _unit_rules() if "王五" in r and "旷工" not in r] == ["缺卡未补：王五"]
        with pytest.raises(CorrectionError) as refused:
            corrections.ask(clerk, THU, time(17, 31), "忘记打卡")
        assert refused.value.status == 409


def test_a_missed_punch_with_a_correction_waiting_is_charged_only_once_it_is_refused(
        app, later, people, person, mapped):
    with app.app_context():
        clerk, general = person(people["clerk"]), person(people["general"])
        assert rules.change("attendance.missed_punch_counts_as", "absent", person(people["admin"])) is None
        _missed_afternoon(mapped)
        fix = corrections.ask(clerk, THU, time(17, 31), "忘记打卡")
        db.session.commit()
        clock.freeze(datetime(2026, 12, 9, 9, 0))
        points.close_day(clerk.hall_id, date(2026, 12, 8))
        db.session.commit()
        assert [e for e in _live(clerk.id) if e.day == THU] == [], "the duty leader has not decided yet"
        corrections.decide(general, fix.id, False)
        points.recheck(clerk, THU, general)
        db.session.commit()
        thursday = [(e.rule, e.points) for e in _live(clerk.id) if e.day == THU]
        assert thursday == [("缺卡未补", -rules.get("staff_points.absent_half_day"))]


def _emergency(person, people, day):
    row = leave.record_emergency(person(people["general"]), people["mate"], "sick", "急病", day, "am", day, "pm")
    db.session.commit()
    return row


def _closed(hall_id, day, at):
    """Close a day of the hall at a moment, twice (a re-run adds nothing)."""
    clock.freeze(at)
    for _ in range(2):
        points.close_day(hall_id, day)
    db.session.commit()


def _phoned_in_late(person, people, day):
    """Record the colleague's emergency leave for a past day and re-judge it: its absence is taken back."""
    row = _emergency(person, people, day)
    points.recheck_leave(row, person(people["general"]))
    db.session.commit()
    return row


def test_emergency_paperwork_is_due_the_rulebook_s_working_days_later_across_a_weekend(app, later, people, person):
    with app.app_context():
        assert rules.change("attendance.emergency_paperwork_days", "3", person(people["admin"])) is None
        clock.freeze(datetime(2026, 12, 3, 9, 0))  # a Thursday: Friday, Monday, Tuesday
        assert _emergency(person, people, THU).paperwork_due == date(2026, 12, 8)


def test_emergency_leave_whose_paperwork_never_came_is_charged_as_absence_once(app, later, people, person, mapped):
    with app.app_context():
        mate = person(people["mate"])
        clock.freeze(datetime(2026, 12, 1, 8, 0))
        row = _emergency(person, people, date(2026, 12, 1))
        _closed(mate.hall_id, date(2026, 12, 1), datetime(2026, 12, 2, 9, 0))
        assert [e for e in _live(mate.id) if e.day == date(2026, 12, 1)] == [], "on leave while the slip may come"
        _closed(mate.hall_id, row.paperwork_due, datetime(2026, 12, 4, 9, 0))
        charged = sorted(e.rule for e in _live(mate.id) if e.day == date(2026, 12, 1))
        assert charged == ["旷工半天", "旷工半天"]


def test_an_absence_taken_back_by_emergency_leave_is_charged_again_when_its_paperwork_never_comes(
        app, later, people, person, mapped):
    dec1 = date(2026, 12, 1)
    with app.app_context():
        mate = person(people["mate"])
        _closed(mate.hall_id, dec1, datetime(2026, 12, 2, 9, 0))
        assert sorted(e.rule for e in _live(mate.id) if e.day == dec1) == ["旷工半天", "旷工半天"]
        row = _phoned_in_late(person, people, dec1)
        assert [e for e in _live(mate.id) if e.day == dec1] == []
        _closed(mate.hall_id, row.paperwork_due, datetime(2026, 12, 7, 9, 0))  # the slip never came
        assert sorted(e.rule for e in _live(mate.id) if e.day == dec1) == ["旷工半天", "旷工半天"]
        unit = [e for e in db.session.query(ScoreEvent).filter_by(subject_user_id=None, day=dec1)
                if e.reverses_id is None and e.id not in scores.voided_ids([e.id])]
        assert [e.rule for e in unit if "赵六" in e.rule] == ["旷工：赵六"], "the unit is charged again too, once"


def test_in_a_published_month_a_correction_that_lapses_is_charged_again_in_the_next_month(
        app, later, people, person, mapped):
    from portal.attendance import monthly
    from portal.org.models import Hall
    nov30 = date(2026, 11, 30)
    with app.app_context():
        mate = person(people["mate"])
        _closed(mate.hall_id, nov30, datetime(2026, 12, 1, 9, 0))
        monthly.publish(db.session.get(Hall, mate.hall_id), 2026, 11, person(people["admin"]))
        row = _phoned_in_late(person, people, nov30)  # after the 公示: a credit in December

        def december():
            return sum(e.points for e in _live(mate.id) if e.day == date(2026, 12, 1))
        assert december() == 2 * rules.get("staff_points.absent_half_day")
        _closed(mate.hall_id, row.paperwork_due, datetime(2026, 12, 7, 9, 0))  # the credit is taken back
        assert december() == 0
        assert sum(e.points for e in _live(mate.id) if e.day == nov30) == -2 * rules.get("staff_points.absent_half_day")
