"""The red-flag rules of the rulebook (流动红旗): the weights add up to 100%, and the top places with ties."""
from portal.assessment.picking import top
from portal.auth.models import User
from portal.extensions import db
from portal.roles import Role
from portal.rulebook import service as rules
from portal.rulebook import sums
from tests.conftest import token

HX = {"HX-Request": "true"}
WEIGHTS = ["assessment.red_flag_weight_unit", "assessment.red_flag_weight_staff",
           "assessment.red_flag_weight_votes", "assessment.red_flag_weight_rating"]


def test_a_red_flag_weight_that_breaks_the_hundred_percent_is_refused_and_not_stored(app, client, login_as):
    login_as(Role.ADMIN)
    response = client.post("/admin/rulebook/assessment.red_flag_weight_unit", headers=HX,
                           data={"csrf_token": token(client), "value": "40"})
    assert response.status_code == 422
    assert "流动红旗四项权重之和须为 100%（改后合计 110%）" in response.get_data(as_text=True)
    with app.app_context():
        assert rules.get("assessment.red_flag_weight_unit") == 30


def test_weights_changed_together_are_stored_when_they_add_up(app, login_as, client):
    uid = login_as(Role.ADMIN)
    with app.test_request_context():
        admin = db.session.get(User, uid)
        wanted = dict(zip(WEIGHTS, ["40", "20", "20", "20"], strict=True))
        with sums.together(wanted):
            assert all(rules.change(k, v, admin) is None for k, v in wanted.items())
        assert [rules.get(k) for k in WEIGHTS] == [40, 20, 20, 20]
        with sums.together(dict(zip(WEIGHTS, ["50", "20", "20", "20"], strict=True))):
            assert "改后合计 110%" in rules.change(WEIGHTS[0], "50", admin)
        assert rules.get(WEIGHTS[0]) == 40


def test_the_default_weights_add_up_to_a_hundred(app):
    with app.app_context():
        assert sum(rules.get(k) for k in WEIGHTS) == 100


def test_a_tie_at_the_last_red_flag_is_shared_when_the_rulebook_says_so():
    scores = {"税务": 95, "公安": 90, "社保": 90, "医保": 85}
    picked = top(list(scores), 2, lambda k: scores[k], share_ties=True)
    assert picked.chosen == ["税务", "公安", "社保"] and picked.shared == ["公安", "社保"]


def test_a_tie_at_the_border_of_a_quota_leaves_all_tied_out():
    scores = {"甲": 99, "乙": 97, "丙": 97, "丁": 90}
    picked = top(list(scores), 2, lambda k: scores[k], share_ties=False)
    assert picked.chosen == ["甲"] and picked.tied_out == ["乙", "丙"]


def test_a_tie_below_the_border_changes_nothing():
    scores = {"甲": 99, "乙": 97, "丙": 90, "丁": 90}
    assert top(list(scores), 2, lambda k: scores[k], share_ties=False).chosen == ["甲", "乙"]
