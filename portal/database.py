"""Engine set-up: SQLite in WAL mode, its writes beginning IMMEDIATE; PostgreSQL reading outside transactions."""
import fcntl
import os
import re
import time
import weakref
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
        elif engine.dialect.name == "postgresql":
            _tune_postgres(engine)


# A statement that neither writes nor takes a lock that lasts to the end of the transaction.
_READ_ONLY = re.compile(
    r"\s*SELECT\b(?!.*\b(?:pg_advisory\w*|pg_export_snapshot|pg_notify|nextval|setval|set_config)\b)",
    re.IGNORECASE | re.DOTALL)
_READ_ONLY_KNOWN: dict[str, bool] = {}  # statement text -> read only: the match scans the whole text (85 µs for 3 KB)
_READ_ONLY_KEPT = 4096  # texts remembered (a worker runs a few hundred; IN lists of new lengths make more)


def _reads_only(statement: str) -> bool:
    """Say whether a statement is a plain SELECT (_READ_ONLY), remembered by its text."""
    known = _READ_ONLY_KNOWN.get(statement)
    if known is None:
        if len(_READ_ONLY_KNOWN) >= _READ_ONLY_KEPT:
            _READ_ONLY_KNOWN.clear()
        known = _READ_ONLY_KNOWN[statement] = _READ_ONLY.match(statement) is not None
    return known


def _tune_postgres(engine) -> None:
    """Spare PostgreSQL the round trips of read transactions, and keep the connections' prepared statements.

    A read (a GET, or what a request reads after committing its write) runs its statements outside a
    transaction: under READ COMMITTED each statement sees what was committed when it began, in a
    transaction or not, so the answer is the same without a BEGIN and a ROLLBACK round trip. The first
    statement that is not a plain SELECT (a write, an advisory lock) ends that: it and the rest of the
    request run in a transaction as before.

    psycopg prepares a statement on the server once a connection has run it a few times, but forgets all
    of them on every ROLLBACK (DEALLOCATE ALL, and counting starts again); a transaction that ran only
    SELECTs is therefore ended with COMMIT, which changes nothing in the database. One that ran anything
    else, or failed, is rolled back as before.
    """
    from psycopg.pq import TransactionStatus

    dialect = engine.dialect
    rollback = dialect.do_rollback
    wrote = weakref.WeakSet()  # driver connections whose open transaction ran more than SELECTs

    @event.listens_for(engine, "begin")
    def _begun(conn):
        # Not where the caller chose an isolation level (e.g. the backup's REPEATABLE READ snapshot).
        if (not write_intended() or _reading_alone()) and "isolation_level" not in conn.get_execution_options():
            conn.connection.driver_connection.autocommit = True  # each SELECT on its own, no BEGIN

    @event.listens_for(engine, "before_cursor_execute")
    def _note(_conn, cursor, statement, _parameters, _context, _executemany):
        if not _reads_only(statement):
            driver = cursor.connection
            if driver.autocommit:
                driver.autocommit = False  # this statement begins a transaction for itself and the rest
            wrote.add(driver)

    def do_rollback(dbapi_connection):
        driver = getattr(dbapi_connection, "driver_connection", dbapi_connection)
        if driver not in wrote and driver.info.transaction_status == TransactionStatus.INTRANS:
            driver.commit()  # only SELECTs ran: the same as a rollback, and the prepared statements stay
        else:
            wrote.discard(driver)
            rollback(dbapi_connection)

    @event.listens_for(engine, "commit")
    def _committed(conn):
        wrote.discard(conn.connection.driver_connection)

    @event.listens_for(engine, "checkin")
    def _returned(dbapi_connection, _record):
        if dbapi_connection is not None and not dbapi_connection.closed and dbapi_connection.autocommit:
            dbapi_connection.autocommit = False  # the next one to borrow it starts as SQLAlchemy expects

    dialect.do_rollback = do_rollback


# SQLite's writers queue on a lock file beside the database (pool record info: its descriptor, whether held).
WRITER_LOCK, WRITER_HELD, WRITER_WAIT = "halldesk_writer_lock", "halldesk_writer_held", "halldesk_writer_wait"
WRITER_POLL_S = 0.0002  # how often a waiting writer looks again: a write holds the lock for a few ms


def _writer_lock_path(engine) -> str | None:
    """Return the lock file of a file database (None for an in-memory one)."""
    path = engine.url.database
    if not path or path == ":memory:" or path.startswith("file:") or engine.url.query.get("mode") == "memory":
        return None
    return f"{path}.writer-lock"


def _take_writer_lock(fairy) -> None:
    """Wait for the other writers' lock, looking every WRITER_POLL_S, up to the busy timeout.

    SQLite's own busy handler sleeps 1, 2, 5, 10, 15 ms… between tries, so a worker that finds the write
    lock taken sleeps on long after the other worker's write is done (two workers wrote less than one). A
    writer takes this lock just before BEGIN IMMEDIATE and lets it go as its transaction ends, so the next
    one starts within WRITER_POLL_S. Past the busy timeout it goes on without it (SQLite's wait and error
    then apply, as they do to a program that does not know of the lock): nobody waits here for ever.
    """
    info = fairy.info
    fd = info.get(WRITER_LOCK)
    if fd is None or info.get(WRITER_HELD):
        return
    deadline = None
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            info[WRITER_HELD] = True
            return
        except BlockingIOError:
            now = time.monotonic()
            deadline = deadline or now + info[WRITER_WAIT]
            if now > deadline:
                return
            time.sleep(WRITER_POLL_S)
        except OSError:  # a file system without locks (ENOLCK, EOPNOTSUPP): SQLite alone orders the writes
            os.close(info.pop(WRITER_LOCK))
            return


def _let_go(info: dict) -> None:
    """Let the writers' lock go if this connection (its pool record's info) holds it."""
    if info.pop(WRITER_HELD, False):
        fcntl.flock(info[WRITER_LOCK], fcntl.LOCK_UN)


def _release_writer_lock(fairy) -> None:
    try:
        info = fairy.info
    except NotImplementedError:  # the engine's first connect, before the pool has a record of it
        return
    _let_go(info)


def _letting_go(end):
    """Wrap the dialect's commit or rollback: the writers' lock goes with the transaction, whatever happens."""
    def ended(fairy):
        try:
            end(fairy)
        finally:
            _release_writer_lock(fairy)
    return ended


WRITE_BEGUN = "write_begun"  # g: what to run first in the request's write transaction (once's claimed key)


def _begin_immediate(conn) -> None:
    """Begin a write transaction: the writers' lock first, then SQLite's write lock, then g's first statement."""
    fairy = conn.connection
    _take_writer_lock(fairy)
    try:
        fairy.driver_connection.execute("BEGIN IMMEDIATE")
    except BaseException:
        _release_writer_lock(fairy)
        raise
    first = g.pop(WRITE_BEGUN, None) if has_request_context() else None
    if first is not None:
        first(conn)


def _tune_sqlite(engine, busy_timeout_ms: int) -> None:
    lock_path = _writer_lock_path(engine)

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, record):
        # Take transaction control from the driver so BEGIN can be IMMEDIATE.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()
        if lock_path is not None:  # a descriptor of its own: flock excludes the connections of one process too
            try:
                record.info[WRITER_LOCK] = os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
            except OSError:  # cannot make the file (e.g. not the folder's owner): SQLite alone orders the writes
                return
            record.info[WRITER_WAIT] = busy_timeout_ms / 1000

    @event.listens_for(engine, "close")
    def on_close(_dbapi_connection, record):
        fd = record.info.pop(WRITER_LOCK, None)
        record.info.pop(WRITER_HELD, None)
        if fd is not None:
            os.close(fd)  # lets go of the lock with it

    @event.listens_for(engine, "checkin")
    def on_checkin(_dbapi_connection, record):
        if record is not None:
            _let_go(record.info)  # never kept past the connection's use

    dialect = engine.dialect
    dialect.do_commit, dialect.do_rollback = _letting_go(dialect.do_commit), _letting_go(dialect.do_rollback)

    @event.listens_for(engine, "begin")
    def on_begin(conn):
        # A read runs in one deferred transaction (one snapshot for the whole answer). A write's reads run
        # on their own, each seeing what was committed when it began (as under PostgreSQL's READ COMMITTED),
        # until its first write statement takes the write lock below: the lock is held from the first write
        # to the commit, not for the whole request. Straight to the driver: no events or cache needed.
        if not write_intended():
            conn.connection.driver_connection.execute("BEGIN")

    @event.listens_for(engine, "before_cursor_execute")
    def on_statement(_conn, cursor, statement, _parameters, _context, _executemany):
        # A deferred transaction that reads and then writes fails under load with "database is locked";
        # one that begins IMMEDIATE waits its turn instead.
        if not cursor.connection.in_transaction and statement.lstrip()[:6].upper() != "SELECT":
            _begin_immediate(_conn)


def lock_for_writing(session) -> None:
    """Take SQLite's write lock now, before a read that the coming write depends on (no-op once held)."""
    conn = session.connection()
    if not conn.connection.driver_connection.in_transaction:
        _begin_immediate(conn)


def on_write_begun(first) -> bool:
    """Run first(connection) as the request's SQLite write transaction begins; False on PostgreSQL (run it now).

    On SQLite the write lock is taken by a request's first write statement, after its reads; a statement
    that would take it sooner (a one-time key's claim) waits for that moment instead of holding the lock
    through the reads.
    """
    if is_postgres():
        return False
    g.setdefault(WRITE_BEGUN, first)
    return True


def write_not_begun() -> bool:
    """Say whether the request's write transaction has not begun since on_write_begun (and forget its first)."""
    return g.pop(WRITE_BEGUN, None) is not None


READS_ALONE = "reads_alone"  # g: reads_alone() is running


def _reading_alone() -> bool:
    return has_request_context() and g.get(READS_ALONE, False)


@contextmanager
def reads_alone():
    """Run a write request's reads each on its own, then let the session's connection go (its write follows on
    a connection of its own, a DriverConnection: a request never holds two of the pool's connections).

    SQLite runs a write request's reads so anyway, until its first write; on PostgreSQL the session would
    begin a transaction at the first read and end it with a COMMIT, two round trips for nothing. A write
    inside the block still begins a transaction (as in any request): the block's end commits it.
    """
    before = g.get(READS_ALONE, False)
    g.reads_alone = True
    try:
        yield
    except BaseException:
        db.session.rollback()
        raise
    else:
        if db.session().in_transaction():  # nothing read (all from the worker's copies): nothing to end
            db.session.commit()
    finally:
        g.reads_alone = before


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
