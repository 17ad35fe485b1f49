"""Pooled connections to a database server: pinged after sitting idle, so a dead one never reaches a request."""
import pytest
from sqlalchemy import select, text

from portal import pool
from portal.extensions import db
from portal.roles import Role
from tests.conftest import PG_URL, sign_in

pytestmark = pytest.mark.skipif(not PG_URL, reason="SQLite is a file: its connections are never pinged")


def _pings(app, monkeypatch) -> list:
    done = []
    with app.app_context():
        dialect = db.engine.dialect
    real = dialect.do_ping
    monkeypatch.setattr(dialect, "do_ping", lambda connection: done.append(1) or real(connection))
    return done


def test_a_connection_handed_back_a_moment_ago_is_not_pinged(app, monkeypatch):
    pings = _pings(app, monkeypatch)
    for _ in range(3):
        with app.app_context():
            db.session.execute(select(1)).scalar()
    assert pings == []


def test_a_connection_killed_while_idle_is_replaced_before_the_request_uses_it(app, client, make_user,
                                                                                monkeypatch):
    make_user("clerk", Role.STAFF)
    with app.app_context():
        victim = db.engine.raw_connection()  # held, so that the next checkout is another connection
        victim.driver_connection.autocommit = True  # no transaction left open: it goes back to the pool as is
        pid = victim.driver_connection.execute("select pg_backend_pid()").fetchone()[0]
        victim.driver_connection.autocommit = False
        with db.engine.connect() as other:
            other.execute(text("select pg_terminate_backend(:pid)"), {"pid": pid})
        victim.close()
    monkeypatch.setattr(pool, "IDLE_BEFORE_PING_S", 0.0)
    pings = _pings(app, monkeypatch)
    assert sign_in(client, "clerk").status_code == 302  # every query of it on a live connection
    assert pings
