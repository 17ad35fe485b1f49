"""A signed-in poll's row is kept in the worker until one of its tables changes, on any server or in any worker.

PostgreSQL: the listener hears every commit. SQLite: the worker's watcher sees data_version move.
"""
import sqlite3
import time

import psycopg
import pytest
from sqlalchemy import update

from portal import clock, signals
from portal.auth.models import UserSession
from portal.extensions import db
from tests.conftest import PG_URL, change_elsewhere, listening, sign_in
from tests.duty_fixtures import frozen, leaders, on_duty  # noqa: F401 - pytest fixtures
from tests.querycount import count_queries
from tests.test_polls import _poll, _tag

only_listener = pytest.mark.skipif(not PG_URL, reason="PostgreSQL's LISTEN/NOTIFY listener")


@pytest.fixture(autouse=True)
def _signals_on(app):
    app.config["CHANGE_SIGNALS"] = True  # as served (config.Config); the rest of the suite reads each time


def _kept_poll(app, client):
    """Sign zhiban in at the desk and poll until the row is kept; return the tag."""
    app.config["RULEBOOK_CACHE_SECONDS"] = 60  # as served: the worker's copy of the rulebook
    sign_in(client, "zhiban")
    tag = _tag(client)
    listening(app)
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
    change_elsewhere(app, "update user_session set revoked_at = created_at, revoked_reason = 'elsewhere'")
    answer = _falls_through(client, tag)
    assert answer.status_code != 304 and "/login" in answer.headers.get("HX-Redirect", "")


def test_a_desk_change_on_another_server_gets_the_new_content(app, client, frozen, leaders, on_duty):
    on_duty()
    tag = _kept_poll(app, client)
    change_elsewhere(app, "insert into duty_pulse (hall_id, version) select id, 1 from hall where true"
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


@only_listener
def test_a_listener_that_cannot_vouch_leaves_every_poll_to_the_database(app, client, frozen, leaders, on_duty,
                                                                         monkeypatch):
    on_duty()
    tag = _kept_poll(app, client)
    found = listening(app)
    monkeypatch.setattr(found, "heard_at", time.monotonic() - 3 * signals.HEARTBEAT_S)
    with count_queries(app) as queries:
        assert _poll(client, tag).status_code == 304
    assert len(queries) == 1


def test_a_rolled_back_change_keeps_the_row(app, client, frozen, leaders, on_duty):
    on_duty()
    tag = _kept_poll(app, client)
    if PG_URL:
        with psycopg.connect(PG_URL.replace("postgresql+psycopg://", "postgresql://")) as other:
            other.execute("update duty_pulse set version = version + 1")
            other.rollback()  # never committed: nobody is told
    else:
        other = sqlite3.connect(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"), isolation_level=None)
        other.execute("begin immediate")
        other.execute("update duty_pulse set version = version + 1")
        other.execute("rollback")  # never committed: data_version does not move
        other.close()
    time.sleep(0.2)
    with count_queries(app) as queries:
        assert _poll(client, tag).status_code == 304
    assert queries == []


@only_listener
def test_a_copy_read_inside_a_rolled_back_write_is_never_used(app, client, frozen, leaders, on_duty):
    from sqlalchemy import text
    found = listening(app)
    with app.app_context():
        db.session.execute(text('update "user" set phone = phone'))  # this process's own write: moves at once
        inside = found.stamp(("user",))
        found.keep("probe", inside, "read inside the write")
        assert found.kept("probe", found.stamp(("user",))) == "read inside the write"
        db.session.rollback()  # nobody is told of a rollback: the listener moves the table itself
        assert found.kept("probe", found.stamp(("user",))) is None


def test_a_change_to_another_table_keeps_the_row(app, client, frozen, leaders, on_duty):
    on_duty()
    tag = _kept_poll(app, client)
    change_elsewhere(app, "update hall set name = name || '.'")  # not a table the row is read from
    time.sleep(0.2)
    with count_queries(app) as queries:
        assert _poll(client, tag).status_code == 304
    # SQLite: the file changed, so the watcher reads the counts again; the row itself is not read.
    assert not any("user_session" in q for q in queries), queries
    assert len(queries) == (0 if PG_URL else 1), queries
