"""The rulebook: DOMAIN.md defaults, validated edits in Chinese, and a version history."""
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import select

from portal.extensions import db
from portal.roles import Role
from portal.rulebook import service as rules
from portal.rulebook.models import RuleChange, RuleSetting
from tests.conftest import token

HX = {"HX-Request": "true"}


def test_defaults_are_the_numbers_of_the_regulations(app):
    with app.test_request_context():
        assert rules.get("patrol.per_day") == 2
        assert rules.get("patrol.missed_points") == Decimal("0.2")
        assert rules.get("sitin.min_days_per_week") == Decimal("1")
        assert rules.get("security.lockout_failures") == 5
        assert rules.get("hours.afternoon_start").strftime("%H:%M") == "14:30"
        assert rules.get("duty.term") == "day"


def test_admin_changes_a_value_and_the_change_is_versioned(app, client, login_as):
    uid = login_as(Role.ADMIN)
    response = client.post("/admin/rulebook/patrol.per_day", headers=HX,
                           data={"csrf_token": token(client), "value": "3", "reason": "上级要求"})
    assert response.status_code == 200
    assert "3 次" in response.get_data(as_text=True)
    client.post("/admin/rulebook/patrol.per_day", data={"csrf_token": token(client), "value": "4"})
    with app.test_request_context():
        assert rules.get("patrol.per_day") == 4
        changes = db.session.execute(select(RuleChange).order_by(RuleChange.id)).scalars().all()
        assert [(c.old_value, c.new_value, c.version) for c in changes] == [("2", "3", 1), ("3", "4", 2)]
        assert changes[0].changed_by_id == uid and changes[0].reason == "上级要求"
    assert "上级要求" in client.get("/admin/rulebook/history").get_data(as_text=True)


def test_impossible_values_are_refused_in_chinese_and_not_stored(app, client, login_as):
    login_as(Role.ADMIN)
    cases = [("patrol.per_day", "0", "不能小于 1"), ("patrol.per_day", "two", "请输入数字"),
             ("patrol.per_day", "2.5", "请输入整数"), ("hours.morning_start", "25:00", "请按 时:分 填写"),
             ("hours.summer_from", "02-30", "请按 月-日 填写"), ("duty.term", "month", "请选择列出的选项之一"),
             ("security.audit_retention_days", "30", "不能小于 180")]
    for key, value, message in cases:
        response = client.post(f"/admin/rulebook/{key}", headers=HX,
                               data={"csrf_token": token(client), "value": value})
        assert response.status_code == 422, (key, value)
        assert message in response.get_data(as_text=True), (key, value)
    with app.app_context():
        assert db.session.execute(select(RuleSetting)).first() is None


def test_office_hours_must_stay_in_order(app, client, login_as):
    login_as(Role.ADMIN)
    response = client.post("/admin/rulebook/hours.morning_end", headers=HX,
                           data={"csrf_token": token(client), "value": "15:00"})
    assert response.status_code == 422
    assert "作息时间须按" in response.get_data(as_text=True)


def test_unknown_rule_is_404(client, login_as):
    login_as(Role.ADMIN)
    assert client.get("/admin/rulebook/no.such.key").status_code == 404


def test_settings_page_shows_every_group(client, login_as):
    login_as(Role.ADMIN)
    html = client.get("/admin/rulebook").get_data(as_text=True)
    for label in rules.GROUPS.values():
        assert label in html
    assert html.count("<tr id=\"rule-") == len(rules.DEFINITIONS)


def test_every_default_parses(app):
    with app.test_request_context():
        for defn in rules.DEFINITIONS.values():
            rules.parse(defn, defn.default)


def test_a_read_may_use_the_workers_copy_but_a_write_reads_the_rulebook_afresh(app, make_user):
    from portal.auth.models import User
    from portal.rulebook import service as rules
    from portal.rulebook.models import RuleSetting
    from tests.querycount import count_queries
    app.config["RULEBOOK_CACHE_SECONDS"] = 60
    admin_id = make_user("guize", Role.ADMIN)
    key = "duty.desk_poll_seconds"
    with app.test_request_context("/"):
        first = rules.get(key)
    with app.test_request_context("/"), count_queries(app) as reads:
        assert rules.get(key) == first
    assert reads == []  # the worker's copy
    with app.app_context():  # another worker changes it behind this one's back
        db.session.merge(RuleSetting(key=key, value=str(first + 7), version=1,
                                     changed_at=datetime(2026, 11, 23, tzinfo=UTC)))
        db.session.commit()
    with app.test_request_context("/"):
        assert rules.get(key) == first  # still the copy, at most RULEBOOK_CACHE_SECONDS old
    with app.test_request_context("/", method="POST"):
        assert rules.get(key) == first + 7  # a write reads afresh
    with app.app_context():
        db.session.merge(RuleSetting(key=key, value=str(first + 8), version=2,
                                     changed_at=datetime(2026, 11, 23, tzinfo=UTC)))
        db.session.commit()
    with app.test_request_context("/", method="POST"), count_queries(app) as reads:
        # A value the write records nothing by (a flood limit) may come from the copy the write above made,
        assert rules.get(key, recorded=False) == first + 7
        assert reads == []
        assert rules.get(key) == first + 8  # the rest of the write still reads afresh,
        assert rules.get(key, recorded=False) == first + 8  # and what this request read, it keeps
    with app.test_request_context("/", method="POST"):
        admin = db.session.get(User, admin_id)
        assert rules.change(key, str(first + 3), admin, "测试") is None
    with app.test_request_context("/"):
        assert rules.get(key) == first + 3  # a change in this worker drops its copy at once
