"""Pooled database connections: pinged before use only after sitting idle, not on every request.

SQLAlchemy's pool_pre_ping pings on every checkout: a round trip to PostgreSQL on every request, however
busy the worker. A connection handed back a moment ago is as alive as the request that just used it;
one that sat in the pool for IDLE_BEFORE_PING_S or more (a restarted server, a firewall that drops idle
connections) is pinged as before, and a dead one is replaced, with every older connection of the pool,
before the request sees it (what pool_pre_ping does).
"""
import time

from sqlalchemy import event, exc
from sqlalchemy.engine import Engine

IDLE_BEFORE_PING_S = 2.0


def ping_when_idle(engine: Engine) -> None:
    """Ping a connection on checkout when it was last used IDLE_BEFORE_PING_S or more ago."""
    dialect = engine.dialect

    @event.listens_for(engine, "connect")
    def _connected(_dbapi_connection, record):
        record.info["used_at"] = time.monotonic()  # a new connection needs no ping

    @event.listens_for(engine, "checkin")
    def _returned(_dbapi_connection, record):
        record.info["used_at"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _lent(dbapi_connection, record, _proxy):
        if time.monotonic() - record.info.get("used_at", 0.0) < IDLE_BEFORE_PING_S:
            return
        try:
            dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as error:
            if dialect.is_disconnect(error, dbapi_connection, None):
                raise exc.InvalidatePoolError() from error  # the pool retries with a new connection
            raise
