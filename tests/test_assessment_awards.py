"""流动红旗: the month's top units by the rulebook's formula, ties, the duty leaders' vote, the bonus once."""
from decimal import Decimal

import pytest

from portal import clock
from portal.assessment import redflags, votes
from portal.assessment.award_models import RedFlagAward
from portal.auth.models import User
from portal.extensions import db
from portal.roles import Role
from portal.scores.models import ScoreEvent
from tests.assessment_fixtures import frozen, staff  # noqa: F401
from tests.awards_fixtures import duty_days, publish, rule, unit_points, units  # noqa: F401
from tests.conftest import sign_in, token

HX = {"HX-Request": "true"}
VOTE = "/assessment/awards/vote?month=2026-11"


def _month(unit_points):
    """社保局 100; 税务局 96 with one deduction; 公安局户政 96 after more deductions and a bonus; 医保局 92."""
    unit_points("tax", -4, "台面不规范", "patrol")
    unit_points("police", -6, "窗口空岗", "patrol")
    unit_points("police", 2, "感谢信")
    unit_points("medical", -8, "窗口空岗", "patrol")


def _standings(app, hall):
    with app.app_context():
        return [(s.department.name, s.place, s.flagged, s.shared) for s in redflags.standings(hall["hall"], 2026, 11)]


def test_red_flags_go_to_the_top_units_and_a_tie_breaks_on_fewer_deductions(app, hall, units, staff, rule,
                                                                            unit_points, frozen):
    rule("assessment.red_flag_formula", "total")
    rule("assessment.red_flags_per_month", 2)
    _month(unit_points)
    assert _standings(app, hall) == [("社保局", 1, True, False), ("税务局", 2, True, False),
                                     ("公安局户政", 3, False, False), ("医保局", 4, False, False)]


def test_a_tie_at_the_last_red_flag_is_shared_when_the_rulebook_says_so(app, hall, units, staff, rule,
                                                                         unit_points, frozen):
    rule("assessment.red_flag_formula", "total")
    rule("assessment.red_flags_per_month", 2)
    rule("assessment.red_flag_tie_break", "share")
    _month(unit_points)
    assert _standings(app, hall) == [("社保局", 1, True, False), ("税务局", 2, True, True),
                                     ("公安局户政", 2, True, True), ("医保局", 4, False, False)]


def test_the_weighted_formula_counts_the_units_staff_votes_and_good_rate(app, hall, units, staff, make_user,
                                                                         unit_points, duty_days, frozen):
    _month(unit_points)
    first, second = make_user("duty1", Role.DUTY_LEADER, department="office"), \
        make_user("duty2", Role.DUTY_LEADER, department="office")
    duty_days(first, second)
    with app.app_context():
        votes.cast(db.session.get(User, first), 2026, 11, [units["tax"], units["social"]])
        votes.cast(db.session.get(User, second), 2026, 11, [units["tax"]])
        db.session.commit()
        rows = {s.department.name: s for s in redflags.standings(hall["hall"], 2026, 11)}
    # 30% of 96 + 30% of the staff's 100 + 20% of 2 votes in 2 + 20% of no ratings
    assert rows["税务局"].score == Decimal("78.80") and rows["税务局"].votes == 2
    assert rows["社保局"].score == Decimal("40.00")  # no staff: only its 100 and 1 vote in 2 count


def test_only_the_months_duty_leaders_vote_once_for_at_most_the_months_flags(app, client, hall, units, staff,
                                                                            make_user, duty_days, frozen):
    voter = make_user("duty1", Role.DUTY_LEADER, department="office")
    make_user("duty9", Role.DUTY_LEADER, department="office")
    duty_days(voter)
    sign_in(client, "duty1")
    page = client.get(VOTE).get_data(as_text=True)
    assert 'name="department_id"' in page and "社保局" in page
    many = [str(u) for u in units.values()] + [str(units["tax"] + 1000)]
    r = client.post(VOTE, headers=HX, data={"csrf_token": token(client, VOTE), "department_id": many})
    assert r.status_code == 422
    r = client.post(VOTE, headers=HX, data={"csrf_token": token(client, VOTE), "department_id": [units["tax"]]})
    assert r.status_code == 200 and "投票已记录" in r.get_data(as_text=True)
    again = client.post(VOTE, headers=HX, data={"csrf_token": token(client, VOTE), "department_id": [units["police"]]})
    assert again.status_code == 409 and "您已投过" in again.get_data(as_text=True)
    other = app.test_client()
    sign_in(other, "duty9")  # a duty leader, but not on November's roster
    r = other.post(VOTE, headers=HX, data={"csrf_token": token(other, VOTE), "department_id": [units["tax"]]})
    assert r.status_code == 409 and "只有本月担任过值班长的人员可以投票" in r.get_data(as_text=True)
    with app.app_context():
        assert votes.counts(hall["hall"], 2026, 11) == ({units["tax"]: 1}, 1)


def test_a_months_red_flags_are_awarded_after_it_is_published_and_the_staff_bonus_is_given_once(
        app, hall, units, staff, rule, unit_points, publish, frozen):
    rule("assessment.red_flag_formula", "total")
    rule("assessment.red_flags_per_month", 1)
    unit_points("police", -3, "窗口空岗", "patrol")
    unit_points("social", -5, "窗口空岗", "patrol")
    unit_points("medical", -5, "窗口空岗", "patrol")
    admin = lambda: db.session.get(User, staff["admin"])  # noqa: E731
    with app.app_context(), pytest.raises(redflags.RedFlagError, match="公示后才能评定"):
        redflags.award(admin(), 2026, 11)
    publish()
    with app.app_context():
        rows = redflags.award(admin(), 2026, 11)
        db.session.commit()
        assert [(r.department_id, r.place) for r in rows] == [(units["tax"], 1)]
        with pytest.raises(redflags.RedFlagError, match="已评定"):
            redflags.award(admin(), 2026, 11)
        db.session.rollback()
        bonus = db.session.query(ScoreEvent).filter_by(source="award").all()
        assert sorted(e.subject_user_id for e in bonus) == sorted([staff["clerk"], staff["leader"]])
        assert {e.centipoints for e in bonus} == {200} and {e.department_id for e in bonus} == {units["tax"]}
        assert db.session.query(RedFlagAward).count() == 1
        assert not votes.is_open(hall["hall"], 2026, 11)  # awarding ends the vote


def test_the_quarters_and_the_years_red_flags_come_from_the_months(app, hall, units, staff, rule, frozen):
    rule("assessment.red_flags_per_quarter", 1)
    with app.app_context():
        for month, dept, score in ((10, "tax", 9600), (11, "police", 9600), (12, "police", 9600), (1, "tax", 9000)):
            db.session.add(RedFlagAward(hall_id=hall["hall"], year=2026, month=month, department_id=units[dept],
                                        place=1, score_centi=score, awarded_by_id=staff["admin"],
                                        awarded_at=clock.now()))
        db.session.commit()
        q4 = redflags.quarter(hall["hall"], 2026, 4)
        assert [(f.department.name, f.months, f.flagged) for f in q4] == [
            ("公安局户政", [11, 12], True), ("税务局", [10], False)]
        year = redflags.whole_year(hall["hall"], 2026)  # two flags each: the higher months' scores win
        assert [(f.department.name, f.flagged) for f in year] == [("公安局户政", True), ("税务局", False)]


def test_the_admin_awards_the_red_flags_from_the_page_which_shows_standings_and_excellence(
        client, hall, units, staff, rule, unit_points, publish, frozen):
    rule("assessment.red_flags_per_month", 1)
    unit_points("police", -3, "窗口空岗", "patrol")
    sign_in(client, "director")
    page = client.get("/assessment/awards?month=2026-11").get_data(as_text=True)
    assert "<html" in page and 'id="red-flag-standings"' in page and "本月考核公示后方可评定" in page
    assert 'id="excellence-quota"' in page and "评定流动红旗并记加分" not in page
    publish()
    url = "/assessment/awards?month=2026-11"
    fragment = client.get(url, headers=HX).get_data(as_text=True)
    assert "<html" not in fragment and 'id="assessment-awards"' in fragment and "评定流动红旗并记加分" in fragment
    done = client.post("/assessment/awards/award?month=2026-11", headers=HX,
                       data={"csrf_token": token(client, url)})
    html = done.get_data(as_text=True)
    assert done.status_code == 200 and "已评定 1 个流动红旗窗口单位" in html and "流动红旗</span>" in html
    again = client.post("/assessment/awards/award?month=2026-11", headers=HX,
                        data={"csrf_token": token(client, url)})
    assert again.status_code == 409 and "的流动红旗已评定" in again.get_data(as_text=True)
    flags = client.get("/assessment/awards/flags?year=2026").get_data(as_text=True)
    assert 'id="month-flags"' in flags and "11月" in flags


def test_the_weights_form_saves_the_four_together_and_refuses_a_sum_other_than_a_hundred(app, client, staff,
                                                                                         frozen):
    sign_in(client, "director")
    url = "/assessment/awards/weights"
    bad = client.post(url, headers=HX, data={"csrf_token": token(client, url), "unit": "40", "staff": "30",
                                             "votes": "20", "rating": "20"})
    assert bad.status_code == 422 and "流动红旗四项权重之和须为 100%（改后合计 110%）" in bad.get_data(as_text=True)
    good = client.post(url, headers=HX, data={"csrf_token": token(client, url), "unit": "40", "staff": "20",
                                              "votes": "20", "rating": "20"})
    assert good.status_code == 200 and "权重已保存" in good.get_data(as_text=True)
    with app.app_context():
        assert redflags.formula(None).weights == {"unit": 40, "staff": 20, "votes": 20, "rating": 20}


def test_last_months_duty_leader_finds_the_vote_in_the_inbox_until_voting(client, units, staff, make_user,
                                                                         duty_days, frozen):
    voter = make_user("duty1", Role.DUTY_LEADER, department="office")
    make_user("duty9", Role.DUTY_LEADER, department="office")
    duty_days(voter)
    sign_in(client, "duty1")
    inbox = client.get("/inbox/").get_data(as_text=True)
    assert "流动红旗投票" in inbox and "2026年11月值班长投票" in inbox
    client.post(VOTE, headers=HX, data={"csrf_token": token(client, VOTE), "department_id": [units["social"]]})
    assert "流动红旗投票" not in client.get("/inbox/").get_data(as_text=True)
    other = client.application.test_client()
    sign_in(other, "duty9")  # not on November's roster: nothing to vote
    assert "流动红旗投票" not in other.get("/inbox/").get_data(as_text=True)
