"""Bad-review rectification (差评整改): every path, deadlines on the hall's calendar, points once and reversed."""
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from portal import clock
from portal.auth.models import User
from portal.extensions import db
from portal.ratings import cases
from portal.ratings.models import RatingCase
from portal.rulebook.models import CalendarDay
from portal.scores.models import ScoreEvent
from tests.ratings_fixtures import (  # noqa: F401 - fixtures
    bad_case,
    csrf_of,
    evaluator_device,
    frozen,
    invite,
    people,
    signed_in,
    tap,
)
from tests.ratings_fixtures import case_state as _state
from tests.ratings_fixtures import run_step as _run


def _points(app):
    with app.app_context():
        return db.session.execute(select(func.coalesce(func.sum(ScoreEvent.centipoints), 0))).scalar_one(), \
            db.session.execute(select(func.count(ScoreEvent.id))).scalar_one()


def test_a_named_bad_review_is_verified_classified_rectified_called_back_and_closed(app, bad_case):
    case_id = bad_case()
    assert _run(app, "leader", case_id, cases.verify, "调取录像，情况属实") == "classify"
    assert _run(app, "leader", case_id, cases.classify, "fix_now") == "rectify"
    assert _run(app, "leader", case_id, cases.rectify, "已当面道歉并改进") == "callback"
    assert _run(app, "leader", case_id, cases.callback, "电话回访，群众满意") == "closed"
    assert _state(app, case_id)[2] == ["open", "verify", "classify", "rectify", "callback"]


def test_an_anonymous_bad_review_closes_after_rectification_without_a_callback(app, bad_case):
    case_id = bad_case(named=False)
    _run(app, "leader", case_id, cases.verify, "属实")
    _run(app, "leader", case_id, cases.classify, "explain")
    assert _run(app, "leader", case_id, cases.rectify, "已解释说明") == "closed"


def test_a_verified_bad_review_costs_the_unit_and_the_staff_their_points_once(app, bad_case):
    case_id = bad_case()
    _run(app, "leader", case_id, cases.verify, "属实")
    total, count = _points(app)
    assert (total, count) == (-1200, 2)  # unit -10, staff -2 (rulebook defaults)
    from portal.ratings import points
    with app.app_context():
        case = db.session.get(RatingCase, case_id)
        points.charge(case, db.session.get(User, case.rating.staff_id))  # a second charge adds nothing
        db.session.commit()
    assert _points(app) == (-1200, 2)
    with app.app_context():
        staff = db.session.execute(select(ScoreEvent).where(ScoreEvent.subject_user_id.is_not(None))).scalar_one()
        assert staff.subject_user.login == "clerk" and staff.source == "evaluation"


def test_an_upheld_appeal_voids_the_review_and_restores_the_points(app, bad_case):
    case_id = bad_case()
    _run(app, "leader", case_id, cases.verify, "属实")
    assert _run(app, "leader", case_id, cases.appeal, "群众误操作") == "appealed"
    assert _run(app, "center", case_id, cases.decide, True, "经复核属误评") == "void"
    total, count = _points(app)
    assert total == 0 and count == 4  # two charges, two reversals


def test_a_refused_appeal_resumes_the_case_where_it_was(app, bad_case):
    case_id = bad_case()
    _run(app, "leader", case_id, cases.verify, "属实")
    _run(app, "leader", case_id, cases.classify, "deadline")
    _run(app, "leader", case_id, cases.appeal, "恶意差评")
    assert _run(app, "center", case_id, cases.decide, False, "证据不足") == "rectify"
    assert _points(app)[0] == -1200
    with pytest.raises(cases.CaseError, match="申诉过一次"):
        _run(app, "leader", case_id, cases.appeal, "再次申诉")


def test_only_the_center_decides_an_appeal(app, bad_case):
    case_id = bad_case()
    _run(app, "leader", case_id, cases.appeal, "误评")
    with pytest.raises(cases.CaseError) as refused:
        _run(app, "leader", case_id, cases.decide, True, "自己批准")
    assert refused.value.status == 403


def test_an_overdue_case_is_marked_and_shown_to_the_general_duty_leader(app, bad_case, frozen):
    from portal.inbox import registry
    case_id = bad_case()
    due = _state(app, case_id)[1]
    frozen(due + timedelta(hours=2))
    with app.test_request_context():
        general = db.session.execute(select(User).where(User.login == "general")).scalar_one()
        items = [i for i in registry.collect(general) if i.source == "ratings.overdue"]
        assert [i.record_id for i in items] == [case_id] and items[0].severity == "urgent"
    _run(app, "leader", case_id, cases.verify, "属实（逾期）")
    with app.app_context():
        assert db.session.get(RatingCase, case_id).steps[-1].late is True


def test_the_unit_inbox_shows_the_step_a_case_waits_for_and_the_center_the_appeal(app, bad_case):
    from portal.inbox import registry
    case_id = bad_case()
    with app.test_request_context():
        leader = db.session.execute(select(User).where(User.login == "leader")).scalar_one()
        other = db.session.execute(select(User).where(User.login == "other")).scalar_one()
        assert [i.title for i in registry.collect(leader) if i.source == "ratings.case"] == ["差评待核实"]
        assert not [i for i in registry.collect(other) if i.source == "ratings.case"]
    _run(app, "leader", case_id, cases.appeal, "误评")
    with app.test_request_context():
        center = db.session.execute(select(User).where(User.login == "center")).scalar_one()
        assert [i.record_id for i in registry.collect(center) if i.source == "ratings.appeal"] == [case_id]
        assert not [i for i in registry.collect(center) if i.source == "ratings.case"]  # the unit's own steps


def test_a_low_followup_by_a_named_rater_reopens_the_case(app, bad_case):
    case_id = bad_case()
    for fn, arg in ((cases.verify, "属实"), (cases.classify, "fix_now"), (cases.rectify, "已改"),
                    (cases.callback, "已回访")):
        _run(app, "leader", case_id, fn, arg)
    assert _run(app, "center", case_id, cases.followup, 2) == "closed"
    assert _run(app, "center", case_id, cases.followup, 5) == "rectify"
    state, due, steps = _state(app, case_id)
    assert steps[-2:] == ["followup", "followup"] and due is not None


def test_an_anonymous_review_has_no_followup(app, bad_case):
    case_id = bad_case(named=False)
    for fn, arg in ((cases.verify, "属实"), (cases.classify, "fix_now"), (cases.rectify, "已改")):
        _run(app, "leader", case_id, fn, arg)
    with pytest.raises(cases.CaseError, match="匿名"):
        _run(app, "center", case_id, cases.followup, 5)


def test_the_rectification_deadline_counts_working_days_across_a_holiday(app, frozen):
    from portal.inbox import worktime
    from portal.rulebook import service as rules
    with app.app_context():
        for d in range(2, 5):  # Wed 2 Dec - Fri 4 Dec closed
            db.session.add(CalendarDay(day=date(2026, 12, d), kind="holiday", name="测试假日"))
        db.session.commit()
        assert rules.get("evaluation.rectify_days") == "7"
        due = cases.term_due("rectify", "deadline")
        # From Tue 1 Dec: 7 working days are Mon 7 … Tue 15 Dec (2-4 Dec holiday, weekends off).
        assert clock.local(due).date() == date(2026, 12, 10) + timedelta(days=5)
        assert due == worktime.closing(date(2026, 12, 15))


def test_the_rectification_deadline_follows_the_rulebook_preset(app, frozen, people):
    from portal.rulebook import service as rules
    with app.app_context():
        admin = db.session.get(User, people["admin"])
        assert rules.change("evaluation.rectify_days", "15", admin) is None
        assert clock.local(cases.term_due("rectify", "deadline")).date() == date(2026, 12, 22)
        assert rules.change("evaluation.rectify_days", "9", admin) is not None  # not a preset


def test_a_step_out_of_order_is_refused(app, bad_case):
    case_id = bad_case()
    with pytest.raises(cases.CaseError) as refused:
        _run(app, "leader", case_id, cases.rectify, "跳过核实")
    assert refused.value.status == 409


def test_the_case_page_masks_the_rater_and_another_unit_gets_404(app, bad_case):
    case_id = bad_case()
    leader = signed_in(app, "leader")
    page = leader.get(f"/ratings/cases/{case_id}").get_data(as_text=True)
    assert "138****5678" in page and "13812345678" not in page and "刘*华" in page
    assert signed_in(app, "other").get(f"/ratings/cases/{case_id}").status_code == 404
    staff = signed_in(app, "clerk")
    assert staff.get(f"/ratings/cases/{case_id}").status_code == 403


def test_steps_through_the_page_record_and_refuse_with_a_message(app, bad_case):
    case_id = bad_case()
    leader = signed_in(app, "leader")
    csrf = csrf_of(leader.get(f"/ratings/cases/{case_id}").get_data(as_text=True))
    empty = leader.post(f"/ratings/cases/{case_id}/verify", data={"csrf_token": csrf, "note": ""})
    assert empty.status_code == 422 and "请填写核实情况" in empty.get_data(as_text=True)
    done = leader.post(f"/ratings/cases/{case_id}/verify", data={"csrf_token": csrf, "note": "属实"},
                       headers={"HX-Request": "true"})
    assert done.status_code == 200 and 'id="rating-case"' in done.get_data(as_text=True)
    assert "<html" not in done.get_data(as_text=True)
    assert _state(app, case_id)[0] == "classify"


def test_revealing_the_raters_phone_is_audited(app, bad_case):
    from portal.audit.models import AuditEvent
    case_id = bad_case()
    with app.app_context():
        rating_id = db.session.get(RatingCase, case_id).rating_id
    leader = signed_in(app, "leader")
    csrf = csrf_of(leader.get(f"/ratings/cases/{case_id}").get_data(as_text=True))
    shown = leader.post(f"/privacy/reveal/rating.rater_phone/{rating_id}", data={"csrf_token": csrf})
    assert "13812345678" in shown.get_data(as_text=True)
    other = signed_in(app, "other")
    csrf = csrf_of(other.get("/ratings/cases").get_data(as_text=True))
    assert other.post(f"/privacy/reveal/rating.rater_phone/{rating_id}", data={"csrf_token": csrf}).status_code == 404
    with app.app_context():
        assert db.session.execute(select(func.count(AuditEvent.id))
                                  .where(AuditEvent.event == "privacy.reveal")).scalar_one() == 1




def test_the_raters_name_and_phone_are_erased_after_the_keeping_time_once_the_case_is_finished(app, bad_case,
                                                                                               frozen):
    from portal.ratings.models import Rating
    from portal.ratings.privacy import forget_raters
    open_id = bad_case()
    closed_id = bad_case(named=True)
    for fn, arg in ((cases.verify, "属实"), (cases.classify, "fix_now"), (cases.rectify, "已改"),
                    (cases.callback, "已回访")):
        _run(app, "leader", closed_id, fn, arg)
    frozen(clock.now() + timedelta(days=181))
    with app.app_context():
        assert forget_raters() == 1
        kept = db.session.get(RatingCase, open_id).rating
        erased = db.session.get(RatingCase, closed_id).rating
        assert kept.rater_phone == "13812345678" and (erased.rater_name, erased.rater_phone) == ("", "")
        assert isinstance(erased, Rating)


def test_a_station_keeps_its_raters_data_for_its_own_keeping_time(app, bad_case, frozen, hall):
    from portal.ratings.privacy import forget_raters
    from tests.conftest import make_station
    closed_id = bad_case(named=True)
    for fn, arg in ((cases.verify, "属实"), (cases.classify, "fix_now"), (cases.rectify, "已改"),
                    (cases.callback, "已回访")):
        _run(app, "leader", closed_id, fn, arg)
    make_station(app, hall["hall"], evaluation__rater_keep_days=365)
    frozen(clock.now() + timedelta(days=181))  # past the county's 180 days, not the station's 365
    with app.app_context():
        assert forget_raters() == 0
        assert db.session.get(RatingCase, closed_id).rating.rater_phone == "13812345678"
    frozen(clock.now() + timedelta(days=200))
    with app.app_context():
        assert forget_raters() == 1
        assert db.session.get(RatingCase, closed_id).rating.rater_phone == ""
