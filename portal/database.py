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
        # Straight to the driver: every request begins one, and the statement needs no events or cache.
        conn.connection.driver_connection.execute("BEGIN IMMEDIATE" if write_intended() else "BEGIN")


def write_intended() -> bool:
    """Say whether the current transaction is expected to write."""
    if not has_request_context():
        return True
    if g.get("write_intent", False):
        return True
    return request.method not in READ_METHODS and not g.get("write_committed", False)


def commit_write(keep=()) -> None:
    """Commit the request's write; the rest of the request only reads what it needs to answer.

    What follows runs in a plain read transaction (on SQLite it no longer holds the write lock while
    the answer is rendered), and the signed-in person stays loaded (no reload of them and their roles),
    as do the records in keep (e.g. the one just written, which the answer shows as it was saved).
    A later write in the same request must use write_transaction().
    """
    from flask_login import current_user
    session = db.session()
    person = current_user._get_current_object() if current_user and current_user.is_authenticated else None
    keep = {id(o) for o in keep if o is not None}
    if person is not None:
        keep |= {id(person)} | {id(r) for r in getattr(person, "role_rows", [])}
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True
    for obj in list(session.identity_map.values()):
        if id(obj) not in keep:
            session.expire(obj)
    g.write_committed = True


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


def insert(model):
    """Return an INSERT of the model that can say ON CONFLICT (PostgreSQL's or SQLite's dialect)."""
    from sqlalchemy.dialects import postgresql, sqlite
    return (postgresql.insert if is_postgres() else sqlite.insert)(model)
