"""Closing the loop on a complaint: extension, verification, reply, callback, reopening, praise."""
from datetime import date, datetime

import pytest

from portal.complaints import deadlines, handling, service
from portal.complaints.service import ComplaintError
from tests.complaints_fixtures import at, new_case, people, person  # noqa: F401


@pytest.fixture
def accepted(app, hall, people, new_case):
    """Return a function giving a case sent to the tax unit and accepted by its leader."""
    def make(kind="complaint", **fields):
        case = new_case(kind, **fields)
        service.send(person(people["duty"]), case, hall["tax"])
        service.accept(person(people["leader"]), case)
        return case
    return make


def test_one_extension_asked_before_the_deadline_and_approved_by_the_center(app, people, accepted):
    with app.app_context():
        case = accepted("enquiry")
        leader = person(people["leader"])
        handling.ask_extension(leader, case, "需调取监控")
        with pytest.raises(ComplaintError, match="一次"):
            handling.ask_extension(leader, case, "再延一次")
        with pytest.raises(ComplaintError, match="中心"):
            handling.decide_extension(leader, case, True)
        handling.decide_extension(person(people["admin"]), case, True)
        dl = deadlines.of(case)
        assert dl.extended and dl.reply_by == deadlines.close_of(date(2026, 12, 15), 0)


def test_an_extension_after_the_deadline_is_refused(app, people, accepted):
    with app.app_context():
        case = accepted("urgent")
        at(datetime(2026, 12, 4, 9, 0))
        with pytest.raises(ComplaintError, match="超过答复期限"):
            handling.ask_extension(person(people["leader"]), case, "来不及")
        assert [s.step for s in case.steps if s.step.startswith("extension")] == []


def test_a_reply_without_verification_is_refused(app, people, accepted):
    with app.app_context():
        case = accepted()
        with pytest.raises(ComplaintError, match="先核实"):
            handling.reply(person(people["leader"]), case, "已处理")
        assert case.state == "accepted"


def test_a_callback_before_the_reply_is_refused(app, people, accepted):
    with app.app_context():
        case = accepted()
        with pytest.raises(ComplaintError, match="答复之后"):
            handling.callback(person(people["duty"]), case, "satisfied")


def _replied(case, people):
    leader = person(people["leader"])
    handling.verify(leader, case, "false", "经查看监控，窗口人员按规定办理")
    handling.reply(leader, case, "经核实，窗口人员按规定办理，已向您说明。")


def test_satisfied_callback_closes_the_case_and_the_callback_is_due_next_day(app, people, accepted):
    with app.app_context():
        case = accepted()
        _replied(case, people)
        assert deadlines.of(case).callback_by == deadlines.close_of(date(2026, 12, 4), 0)
        at(datetime(2026, 12, 4, 9, 0))
        handling.callback(person(people["duty"]), case, "satisfied", "群众满意")
        assert case.state == "closed"


def test_dissatisfied_callback_within_the_window_reopens_the_case(app, people, accepted):
    with app.app_context():
        case = accepted("enquiry")
        _replied(case, people)
        at(datetime(2026, 12, 4, 9, 0))
        handling.callback(person(people["duty"]), case, "dissatisfied", "认为答复敷衍")
        assert case.state == "accepted" and case.round == 2 and case.round_start == date(2026, 12, 4)
        assert handling.verified(case) is None  # the new round is verified and answered afresh
        assert deadlines.of(case).reply_by == deadlines.close_of(date(2026, 12, 9), 0)


def test_dissatisfied_callback_after_the_window_closes_the_case(app, people, accepted):
    with app.app_context():
        case = accepted()
        _replied(case, people)
        at(datetime(2026, 12, 21, 9, 0))
        handling.callback(person(people["duty"]), case, "dissatisfied")
        assert case.state == "closed" and case.round == 1


def test_praise_letter_is_recorded_with_its_bonus(app, people, hall, new_case):
    from portal.extensions import db
    from portal.scores.models import ScoreEvent
    with app.app_context():
        case = new_case("praise", text="感谢税务窗口耐心讲解")
        handling.praise(person(people["duty"]), case, "感谢信一封", people["clerk"])
        assert case.state == "closed"
        events = db.session.query(ScoreEvent).filter(ScoreEvent.source == "complaint").all()
        assert sorted(e.centipoints for e in events) == [200, 200]
