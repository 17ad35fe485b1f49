"""The day's result counts leave and the desk's short leave; charges go on the ledger once and are reversed."""
from datetime import date, datetime, time

import pytest

from portal import clock
from portal.attendance import corrections, leave, points, sheet
from portal.attendance.models import DeviceUser, Punch
from portal.duty.models import ShortLeave
from portal.extensions import db
from portal.scores import service as scores
from portal.scores.models import ScoreEvent
from tests.conftest import frozen_clock
from tests.leave_fixtures import ask, people, person  # noqa: F401

THU = date(2026, 12, 3)
later = frozen_clock(datetime(2026, 12, 8, 9, 0))


@pytest.fixture
def mapped(app, hall, people):
    """Map the clerk's and the colleague's device ids; return a function adding a punch."""
    with app.app_context():
        for pin, who in (("1", "clerk"), ("2", "mate")):
            db.session.add(DeviceUser(hall_id=hall["hall"], source="zkteco", device_user_id=pin,
                                      user_id=people[who], mapped_at=clock.now()))
        db.session.commit()

    def punch(pin: str, at: datetime):
        db.session.add(Punch(hall_id=hall["hall"], key=f"{pin}-{at}", source="zkteco", device_user_id=pin,
                             day=at.date(), punched_at=at))
        db.session.commit()
    return punch


def _day(person, day=THU):
    return sheet.range_sheet(person.hall_id, [day], [person])[0].days[day]


def _full_day(punch, pin, day=THU, first=time(7, 58)):
    for t in (first, time(12, 1), time(14, 25), time(17, 31)):
        punch(pin, datetime.combine(day, t))


def _live(uid):
    events = db.session.query(ScoreEvent).filter_by(subject_user_id=uid, reverses_id=None).all()
    gone = scores.voided_ids(e.id for e in events)
    return [e for e in events if e.id not in gone]


def test_a_person_on_approved_leave_is_on_leave_not_absent(app, later, people, person, mapped, ask):
    with app.app_context():
        clerk = person(people["clerk"])
        assert {r.status for r in _day(clerk).values()} == {"absent"}
        row = ask(THU, THU)
        leave.decide(person(people["general"]), row.id, True)
        db.session.commit()
        assert [(r.status, r.leave) for r in _day(clerk).values()] == [("leave", "事假")] * 2


def test_emergency_leave_without_paperwork_counts_as_absence_after_the_due_day(app, later, people, person, mapped):
    with app.app_context():
        clock.freeze(datetime(2026, 12, 1, 9, 0))
        leave.record_emergency(person(people["general"]), people["clerk"], "sick", "急病", date(2026, 12, 1), "am",
                               date(2026, 12, 1), "pm")
        db.session.commit()
        clock.freeze(datetime(2026, 12, 3, 18, 0))
        assert _day(person(people["clerk"]), date(2026, 12, 1))["am"].status == "leave"
        clock.freeze(datetime(2026, 12, 4, 9, 0))
        assert _day(person(people["clerk"]), date(2026, 12, 1))["am"].status == "absent"


def test_a_short_leave_at_the_desk_excuses_the_early_sign_out(app, later, people, person, mapped):
    with app.app_context():
        for t in (time(7, 58), time(12, 1), time(14, 25), time(16, 30)):
            mapped("1", datetime.combine(THU, t))
        clerk = person(people["clerk"])
        assert _day(clerk)["pm"].early > 0
        out = datetime.combine(THU, time(16, 29), tzinfo=clock.hall_tz())
        back = datetime.combine(THU, time(17, 45), tzinfo=clock.hall_tz())
        db.session.add(ShortLeave(hall_id=clerk.hall_id, day=THU, user_id=clerk.id, reason="取材料", out_at=out,
                                  due_at=back, returned_at=back, approved_by_id=people["general"]))
        db.session.commit()
        pm = _day(clerk)["pm"]
        assert (pm.early, pm.short) == (0, True)


def test_late_and_absence_are_charged_once_however_often_the_day_is_closed(app, later, people, person, mapped):
    with app.app_context():
        _full_day(mapped, "1", first=time(8, 45))
        hall_id = person(people["clerk"]).hall_id
        points.close_day(hall_id, THU)
        points.close_day(hall_id, THU)
        db.session.commit()
        assert sorted(e.rule for e in _live(people["clerk"])) == ["迟到"]
        assert sorted(e.rule for e in _live(people["mate"])) == ["旷工半天", "旷工半天"]
        unit = db.session.query(ScoreEvent).filter_by(subject_user_id=None).all()
        assert sorted(e.rule for e in unit) == ["旷工：赵六", "迟到：王五"]


def test_an_approved_correction_reverses_the_late_charge(app, later, people, person, mapped):
    with app.app_context():
        _full_day(mapped, "1", first=time(8, 45))
        clerk = person(people["clerk"])
        points.close_day(clerk.hall_id, THU)
        row = corrections.ask(clerk, THU, time(7, 59), "指纹未识别")
        corrections.decide(person(people["general"]), row.id, True)
        points.recheck(clerk, THU, person(people["general"]))
        db.session.commit()
        assert _live(people["clerk"]) == []
        reversals = db.session.query(ScoreEvent).filter(ScoreEvent.reverses_id.is_not(None)).all()
        assert len(reversals) == 2 and all(r.rule.startswith("撤销：") for r in reversals)


def test_a_leave_approved_late_reverses_the_absence(app, later, people, person, mapped, ask):
    with app.app_context():
        points.close_day(person(people["mate"]).hall_id, THU)
        assert len(_live(people["mate"])) == 2
        row = ask(THU, THU, who="mate")
        leave.decide(person(people["general"]), row.id, True)
        points.recheck_leave(row, person(people["general"]))
        db.session.commit()
        assert _live(people["mate"]) == []


def test_the_correction_cap_holds_a_month(app, later, people, person, mapped):
    from portal.attendance.corrections import CorrectionError
    from portal.rulebook import service as rules
    with app.app_context():
        clerk = person(people["clerk"])
        for _ in range(rules.get("attendance.max_corrections_per_month")):
            corrections.ask(clerk, THU, time(8, 0), "忘记打卡")
        with pytest.raises(CorrectionError) as e:
            corrections.ask(clerk, THU, time(8, 0), "忘记打卡")
        assert e.value.status == 409


def test_coming_back_not_reported_is_charged_as_an_overrun_once(app, later, people, person, mapped, ask):
    with app.app_context():
        for t in (time(14, 25), time(17, 31)):
            mapped("1", datetime.combine(THU, t))  # back in the afternoon, but nobody reported it
        row = ask(THU, THU, last_half="am")
        leave.decide(person(people["general"]), row.id, True)
        db.session.commit()
        for _ in range(2):
            points.close_day(row.hall_id, THU)
        db.session.commit()
        assert [e.rule for e in _live(people["clerk"])] == ["请假超假"]
