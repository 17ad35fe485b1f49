"""Engine set-up: SQLite in WAL mode, and write transactions that begin IMMEDIATE."""
from contextlib import contextmanager

from flask import Flask, g, has_request_context, request
from sqlalchemy import event

from .extensions import db

READ_METHODS = {"GET", "HEAD", "OPTIONS"}


def init_engine(app: Flask) -> None:
    """Tune the engine for the database in use."""
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            _tune_sqlite(engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])


def _tune_sqlite(engine, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        # Take transaction control from the driver so BEGIN can be IMMEDIATE.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(conn):
        # A deferred transaction that reads and then writes fails under load with
        # "database is locked"; one that begins IMMEDIATE waits its turn instead.
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write_intended() else "BEGIN")


def write_intended() -> bool:
    """Say whether the current transaction is expected to write."""
    if not has_request_context():
        return True
    return request.method not in READ_METHODS or g.get("write_intent", False)


@contextmanager
def write_transaction():
    """Run a write from a read request (e.g. auditing a denied GET) in its own transaction."""
    db.session.rollback()
    g.write_intent = True
    try:
        yield db.session
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    finally:
        g.write_intent = False


def is_postgres() -> bool:
    """Say whether the portal runs on PostgreSQL."""
    return db.engine.dialect.name == "postgresql"
