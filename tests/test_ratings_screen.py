"""The month's good rate (本月好评率) on the hall screen: kept in the database as ratings arrive, one query to read."""
from datetime import timedelta

import pytest
from flask import template_rendered

from portal import clock
from portal.auth.models import User
from portal.extensions import db
from portal.ratings import cases
from tests.ratings_fixtures import (  # noqa: F401 - fixtures
    bad_case,
    evaluator_device,
    frozen,
    invite,
    people,
    run_step,
    tap,
)
from tests.test_ratings_devices import other_server  # noqa: F401 - fixture

SCREEN = "ratings-screen-token-0001"


@pytest.fixture
def screen(app, people):
    from portal.display import service as screens
    with app.app_context():
        screens.create_screen(db.session.get(User, people["admin"]), "大厅入口屏", token=SCREEN)
        db.session.commit()


def _side(client) -> str:
    html = client.get(f"/display/{SCREEN}/content", headers={"HX-Request": "true"}).get_data(as_text=True)
    return html.split('class="screen-side"')[1]


def _rate(app, people, client, *levels):
    for level in levels:
        extra = {"detail": "1"} if level >= 4 else {}
        assert tap(client, invite(app, people), level, **extra).status_code == 200


def test_the_hall_screen_shows_the_months_good_rate(app, client, frozen, evaluator_device, people, screen):
    assert "本月好评率" not in _side(client)  # no rating yet this month
    _rate(app, people, client, 1, 2, 4)
    side = _side(client)
    assert "本月好评率" in side and "66.7%" in side


def test_a_review_voided_on_appeal_leaves_the_good_rate(app, client, frozen, evaluator_device, people, screen,
                                                        bad_case):
    _rate(app, people, client, 1)
    case_id = bad_case()
    assert "50.0%" in _side(client)
    run_step(app, "leader", case_id, cases.appeal, "误评")
    run_step(app, "center", case_id, cases.decide, True, "经复核属误评")
    assert "100.0%" in _side(client)


def test_a_new_month_starts_without_a_good_rate(app, client, frozen, evaluator_device, people, screen):
    _rate(app, people, client, 1)
    frozen(clock.now() + timedelta(days=31))
    assert "本月好评率" not in _side(client)


def test_the_good_rate_costs_the_screen_one_query_and_none_when_switched_off(app, client, frozen,
                                                                             evaluator_device, people, screen):
    from portal.rulebook import service as rules
    from tests.querycount import count_queries
    _rate(app, people, client, 1, 5)

    def render_queries():
        with count_queries(app) as seen:
            client.get(f"/display/{SCREEN}/content", headers={"HX-Request": "true"})
        return [q for q in seen if "rating" in q]

    assert len(render_queries()) == 1
    with app.app_context():
        assert rules.change("display.show_good_rate", "0", db.session.get(User, people["admin"])) is None
        db.session.commit()
    assert render_queries() == [] and "本月好评率" not in _side(client)


def test_another_app_server_shows_the_same_good_rate(app, client, frozen, evaluator_device, people, screen,
                                                     other_server):
    _rate(app, people, client, 1, 1, 1, 4)
    assert "75.0%" in _side(other_server.test_client())


def test_the_good_rate_is_not_rendered_again_by_an_unchanged_poll(app, client, frozen, evaluator_device, people,
                                                                  screen):
    first = client.get(f"/display/{SCREEN}/content", headers={"HX-Request": "true"})
    _rate(app, people, client, 1)
    rendered = []
    template_rendered.connect(lambda _app, template, context: rendered.append(template.name), app)
    again = client.get(f"/display/{SCREEN}/content",
                       headers={"HX-Request": "true", "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and rendered == []  # it shows with the side panel's next refresh


def _kept_and_counted(app, hall_id):
    from portal.ratings import figures
    from portal.ratings.models import MonthFigure
    from portal.scores.service import month_range
    with app.app_context():
        row = db.session.get(MonthFigure, hall_id)
        tally = figures.total(hall_id, *month_range(2026, 12), as_good=False)
        return (row.visits, row.unrated, row.good, row.bad), (tally.visits, tally.unrated, tally.good, tally.bad)


def test_the_counts_kept_tap_by_tap_match_a_full_recount(app, client, hall, frozen, evaluator_device, people,
                                                         bad_case):
    _rate(app, people, client, 1, 2, 3, 4)
    invite(app, people)  # a visit not rated (yet)
    case_id = bad_case()
    kept, counted = _kept_and_counted(app, hall["hall"])
    assert kept == counted == (6, 1, 3, 2)
    run_step(app, "leader", case_id, cases.appeal, "误评")
    run_step(app, "center", case_id, cases.decide, True, "属误评")
    kept, counted = _kept_and_counted(app, hall["hall"])
    assert kept == counted == (5, 1, 3, 1)


def test_a_tap_adds_to_the_months_counts_with_one_statement(app, client, frozen, evaluator_device, people):
    from tests.querycount import count_queries
    _rate(app, people, client, 1)
    inv = invite(app, people)
    with count_queries(app) as seen:
        assert tap(client, inv, 2).status_code == 200
    kept = [q for q in seen if "rating_month_figure" in q]
    assert len(kept) == 1 and kept[0].lstrip().upper().startswith("UPDATE")
