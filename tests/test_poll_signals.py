"""PostgreSQL: a signed-in poll's row is kept in the worker until one of its tables changes, on any server."""
import time

import psycopg
import pytest
from sqlalchemy import update

from portal import clock, signals
from portal.auth.models import UserSession
from portal.extensions import db
from tests.conftest import PG_URL, sign_in
from tests.duty_fixtures import frozen, leaders, on_duty  # noqa: F401 - pytest fixtures
from tests.querycount import count_queries
from tests.test_polls import _poll, _tag

pytestmark = pytest.mark.skipif(not PG_URL, reason="the change signal is PostgreSQL's LISTEN/NOTIFY")


@pytest.fixture(autouse=True)
def _signals_on(app):
    app.config["CHANGE_SIGNALS"] = True  # as served (config.Config); the rest of the suite reads each time


def _listening(app) -> signals.Listener:
    with app.app_context():
        found = signals.listener(db.engine)
    deadline = time.monotonic() + 10
    while found.stamp(signals.WATCHED) is None:
        assert time.monotonic() < deadline, "the listener never connected"
        time.sleep(0.02)
    return found


def _elsewhere(sql: str, **params) -> None:
    """Change the database from another connection, as another app server would (this process sees no statement)."""
    with psycopg.connect(PG_URL.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as other:
        other.execute(sql, params)


def _kept_poll(app, client):
    """Sign zhiban in at the desk and poll until the row is kept; return the tag."""
    app.config["RULEBOOK_CACHE_SECONDS"] = 60  # as served: the worker's copy of the rulebook
    sign_in(client, "zhiban")
    tag = _tag(client)
    _listening(app)
    assert _poll(client, tag).status_code == 304  # read and kept
    with count_queries(app) as queries:
        assert _poll(client, tag).status_code == 304
    assert queries == [], queries
    return tag


def _falls_through(client, tag, seconds=5.0):
    deadline = time.monotonic() + seconds
    while True:
        answer = _poll(client, tag)
        if answer.status_code != 304 or time.monotonic() > deadline:
            return answer
        time.sleep(0.02)


def test_an_unchanged_poll_is_answered_from_the_kept_row_without_a_query(app, client, frozen, leaders, on_duty):
    on_duty()
    _kept_poll(app, client)


def test_a_session_revoked_by_another_server_ends_the_kept_row(app, client, frozen, leaders, on_duty):
    on_duty()
    tag = _kept_poll(app, client)
    _elsewhere("update user_session set revoked_at = now(), revoked_reason = 'elsewhere'")
    answer = _falls_through(client, tag)
    assert answer.status_code != 304 and "/login" in answer.headers.get("HX-Redirect", "")


def test_a_desk_change_on_another_server_gets_the_new_content(app, client, frozen, leaders, on_duty):
    on_duty()
    tag = _kept_poll(app, client)
    _elsewhere("insert into duty_pulse (hall_id, version) select id, 1 from hall"
               " on conflict (hall_id) do update set version = duty_pulse.version + 1")
    answer = _falls_through(client, tag)
    assert answer.status_code == 200 and answer.headers["ETag"] != tag


def test_this_workers_own_change_ends_the_kept_row_at_once(app, client, frozen, leaders, on_duty):
    on_duty()
    tag = _kept_poll(app, client)
    with app.app_context():
        db.session.execute(update(UserSession).values(revoked_at=clock.now(), revoked_reason="test"))
        db.session.commit()
    answer = _poll(client, tag)  # no waiting: the write itself moved the generation
    assert answer.status_code != 304 and "/login" in answer.headers.get("HX-Redirect", "")


def test_a_listener_that_cannot_vouch_leaves_every_poll_to_the_database(app, client, frozen, leaders, on_duty,
                                                                         monkeypatch):
    on_duty()
    tag = _kept_poll(app, client)
    found = _listening(app)
    monkeypatch.setattr(found, "heard_at", time.monotonic() - 3 * signals.HEARTBEAT_S)
    with count_queries(app) as queries:
        assert _poll(client, tag).status_code == 304
    assert len(queries) == 1


def test_a_rolled_back_change_keeps_the_row(app, client, frozen, leaders, on_duty):
    on_duty()
    tag = _kept_poll(app, client)
    with psycopg.connect(PG_URL.replace("postgresql+psycopg://", "postgresql://")) as other:
        other.execute("update duty_pulse set version = version + 1")
        other.rollback()  # never committed: nobody is told
    time.sleep(0.2)
    with count_queries(app) as queries:
        assert _poll(client, tag).status_code == 304
    assert queries == []



def test_a_copy_read_inside_a_rolled_back_write_is_never_used(app, client, frozen, leaders, on_duty):
    from sqlalchemy import text
    found = _listening(app)
    with app.app_context():
        db.session.execute(text('update "user" set phone = phone'))  # this process's own write: moves at once
        inside = found.stamp(("user",))
        found.keep("probe", inside, "read inside the write")
        assert found.kept("probe", found.stamp(("user",))) == "read inside the write"
        db.session.rollback()  # nobody is told of a rollback: the listener moves the table itself
        assert found.kept("probe", found.stamp(("user",))) is None
