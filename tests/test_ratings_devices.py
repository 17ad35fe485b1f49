"""Evaluators on several app servers: the tap limit and the poll's copy live in the database, not one worker."""
import pytest

from portal import create_app
from portal.rulebook import service as rules
from tests.ratings_fixtures import TOKEN, evaluator_device, frozen, invite, people, tap  # noqa: F401 - fixtures


@pytest.fixture
def other_server(app, tmp_path):
    """A second app server on the same database, with its own memory and its own instance folder."""
    return create_app({"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                       "INSTANCE_DIR": tmp_path / "other-server", "UPLOAD_DIR": tmp_path / "uploads"})


def _limit(app):
    with app.app_context():
        return rules.get("evaluation.taps_per_minute")


def test_a_flood_of_taps_is_limited_across_app_servers(app, client, frozen, evaluator_device, people,
                                                        other_server):
    inv = invite(app, people)
    limit = _limit(app)
    assert [tap(client, inv, 9).status_code for _ in range(limit)] == [422] * limit
    answer = tap(other_server.test_client(), inv, 1)
    assert answer.status_code == 429 and "操作过于频繁" in answer.get_data(as_text=True)


def test_a_refused_tap_counts_towards_the_limit_and_the_next_minute_starts_afresh(app, client, frozen,
                                                                                   evaluator_device, people):
    from datetime import timedelta

    from portal import clock
    inv = invite(app, people)
    limit = _limit(app)
    for _ in range(limit):
        tap(client, inv, 9)
    assert tap(client, inv, 1).status_code == 429
    frozen(clock.now() + timedelta(minutes=1))
    inv = invite(app, people)
    assert tap(client, inv, 1).status_code == 200


def test_a_tap_costs_one_statement_for_the_limit(app, client, frozen, evaluator_device, people):
    from portal.ratings import visits
    from tests.querycount import count_queries
    with app.test_request_context("/evaluator/x/rate", method="POST"):
        with count_queries(app) as seen:
            visits.count_tap(evaluator_device)
    statements = [q for q in seen if "rating_tap_count" in str(q)]
    assert len(statements) == 1 and "RETURNING" in str(statements[0]).upper()


def test_an_invitation_made_on_one_server_reaches_the_evaluator_polling_another(app, frozen, evaluator_device,
                                                                                people, other_server,
                                                                                monkeypatch):
    from portal import snapshot
    device = other_server.test_client()
    etag = device.get(f"/evaluator/{TOKEN}/state").headers["ETag"]
    assert device.get(f"/evaluator/{TOKEN}/state", headers={"If-None-Match": etag}).status_code == 304
    invite(app, people)  # the clerk's page is answered by the first server
    later = snapshot.time.monotonic() + other_server.config["DISPLAY_SIGNAL_SECONDS"] + 1
    monkeypatch.setattr(snapshot.time, "monotonic", lambda: later)
    changed = device.get(f"/evaluator/{TOKEN}/state", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and 'name="level"' in changed.get_data(as_text=True)


def test_an_idle_evaluator_costs_one_small_query_per_signal_interval(app, client, frozen, evaluator_device,
                                                                     people, monkeypatch):
    from portal import snapshot
    from tests.querycount import count_queries
    etag = client.get(f"/evaluator/{TOKEN}/state").headers["ETag"]
    later = snapshot.time.monotonic() + app.config["DISPLAY_SIGNAL_SECONDS"] + 1
    monkeypatch.setattr(snapshot.time, "monotonic", lambda: later)
    with count_queries(app) as seen:
        assert client.get(f"/evaluator/{TOKEN}/state", headers={"If-None-Match": etag}).status_code == 304
    assert len(seen) == 1, seen  # the generation, equal to the copy's: no reload


def test_screens_and_evaluators_share_one_token_check(app, client, frozen, evaluator_device, people, monkeypatch):
    from portal import snapshot
    from portal.auth.models import User
    from portal.display import service as screens
    from portal.extensions import db
    with app.app_context():
        screens.create_screen(db.session.get(User, people["admin"]), "入口屏", token="shared-check-screen-01")
        db.session.commit()
    assert client.get("/display/shared-check-screen-01").status_code == 200
    assert client.get(f"/evaluator/{TOKEN}").status_code == 200
    monkeypatch.setattr(snapshot, "TOKEN_LENGTHS", (40, 64))  # the one rule, changed once
    assert client.get("/display/shared-check-screen-01").status_code == 404
    assert client.get(f"/evaluator/{TOKEN}").status_code == 404
