"""The change signal: every change to a few watched tables moves a generation that every worker can see.

PostgreSQL (Listener):

A trigger on each watched table runs pg_notify(CHANNEL, <table>) at the end of every statement that changes
it; PostgreSQL delivers the notice at commit (never for a rolled-back change) to every connection that
listens, on every machine. Each worker process keeps one listening connection in a background thread and
a generation for each table: what a request read from a table at generation G is still what the table
holds while its generation is G. The process's own writes move the generation as they are made, so its
next request never depends on the notice's round trip. Every HEARTBEAT_S the listener sends a notice of its
own and waits for it to come back; while it is not connected, or has not heard its own notice for
2 x HEARTBEAT_S, stamp() says None and nothing may be taken from a copy.

SQLite (Counters): one machine, one file. Row triggers count each table's changes in the change_signal
table. Each worker process keeps a read-only connection of its own (the watcher) and asks it SQLite's
PRAGMA data_version, which moves whenever any other connection has committed to the file (about 2 µs):
while it has not moved, the counts last read on the watcher are still the counts, and stamp() needs no
statement; when it has, the five rows are read again there. The watcher is asked only before the
request's own transaction has read anything, so whatever the request reads afterwards is at least as new
as the stamp; inside a begun transaction the counts are read in that transaction, as they were before.

Used by polls.py (a signed-in poll's row), auth/service.py (a session's person), the rulebook (its values,
which a write would otherwise read afresh) and org's window choices, through copy(): read from the database
once, then taken from this process's copy until one of their tables changes.
"""
import itertools
import logging
import os
import re
import sqlite3
import threading
import time
import weakref

from flask import current_app
from sqlalchemy import String, event
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Mapped, mapped_column

from .extensions import db

CHANNEL = "halldesk_changes"
WATCHED = ("user_session", "user", "user_role", "duty_pulse", "inbox_pulse",
           "rule_setting", "hall_rule_setting", "rule_overridable", "hall", "window")
HEARTBEAT_S = 5.0
COPIES_KEPT = 10_000  # a worker's copies; all are dropped when there would be more
FUNCTION = ("CREATE OR REPLACE FUNCTION halldesk_announce() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN PERFORM pg_notify('{CHANNEL}', TG_TABLE_NAME); RETURN NULL; END $$")
_WRITE = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|TRUNCATE)\s+"?(' + "|".join(WATCHED) + r')"?\b',
                    re.IGNORECASE)
_NAMES = re.compile(r'"?\b(' + "|".join(WATCHED) + r')\b"?', re.IGNORECASE)
_log = logging.getLogger(__name__)


class ChangeSignal(db.Model):
    """SQLite's count of the changes to one watched table (kept by triggers; PostgreSQL notifies instead)."""

    __tablename__ = "change_signal"
    __audit__ = False

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    generation: Mapped[int] = mapped_column(default=0)


def statements(dialect: str) -> list[str]:
    """What makes the watched tables announce their changes, as create_all and the migration run it."""
    if dialect == "postgresql":
        return [FUNCTION] + [
            f'CREATE OR REPLACE TRIGGER halldesk_announce AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "{t}" '
            "FOR EACH STATEMENT EXECUTE FUNCTION halldesk_announce()" for t in WATCHED]
    rows = ", ".join(f"('{t}', 0)" for t in WATCHED)
    return [f"INSERT OR IGNORE INTO change_signal (name, generation) VALUES {rows}"] + [
        f'CREATE TRIGGER IF NOT EXISTS halldesk_{t}_{op.lower()} AFTER {op} ON "{t}" '
        f"BEGIN UPDATE change_signal SET generation = generation + 1 WHERE name = '{t}'; END"
        for t in WATCHED for op in ("INSERT", "UPDATE", "DELETE")]


def _announce(_metadata, connection, **_kw) -> None:
    for statement in statements(connection.dialect.name):
        connection.exec_driver_sql(statement)


def install(metadata) -> None:
    """Make create_all set the signal up with the tables (the migrations do the same)."""
    if not event.contains(metadata, "after_create", _announce):
        event.listen(metadata, "after_create", _announce)


class Copies:
    """A worker's kept copies, each with the stamp (the generations) it was read at."""

    def __init__(self):
        self.copies: dict = {}  # key -> (stamp, value)

    def kept(self, key, stamp: tuple | None):
        """Return what was kept under key at this stamp, or None."""
        found = self.copies.get(key) if stamp is not None else None
        return found[1] if found is not None and found[0] == stamp else None

    def keep(self, key, stamp: tuple | None, value) -> None:
        """Keep value under key, read after stamp() said stamp (a change during the read ends it)."""
        if stamp is None:
            return
        if len(self.copies) >= COPIES_KEPT:
            self.copies.clear()
        self.copies[key] = (stamp, value)


class Counters(Copies):
    """SQLite: the generations are the change_signal table's counts, as the watcher or the request reads them."""

    READ = "SELECT name, generation FROM change_signal"

    def __init__(self, path: str | None):
        super().__init__()
        self.path = path  # the database file; None (a database in memory): read in the request each time
        self._watcher: sqlite3.Connection | None = None
        self._watch_lock = threading.Lock()
        self._seen: tuple | None = None  # (data_version, counts) as last read on the watcher

    def stamp(self, tables: tuple, outside: bool = False) -> tuple | None:
        """Return the tables' counts; outside=True: the caller reads on a connection of its own, not the session."""
        from .database import write_intended
        if self.path is not None and (outside or not db.session().in_transaction()):
            counts = self._watched(db.engine)
        else:
            connection = db.session.connection()
            if write_intended() and connection.connection.driver_connection.in_transaction:
                return None  # this write has begun: counts read now would include what a rollback may undo
            try:
                counts = dict(connection.exec_driver_sql(self.READ).all())
            except OperationalError:  # a database not yet migrated to have the counts: read the person each time
                return None
        if counts is None:
            return None
        stamp = tuple(counts.get(t) for t in tables)
        return None if None in stamp else stamp

    def _watched(self, engine) -> dict | None:
        """The counts now, from the watcher: read again only when another connection has committed since."""
        from .rawquery import _send
        with self._watch_lock:
            try:
                if self._watcher is None:
                    self._watcher = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
                    self._watcher.execute("PRAGMA query_only=1")
                version = self._watcher.execute("PRAGMA data_version").fetchone()[0]
                if self._seen is None or self._seen[0] != version:
                    # Read after the version: a commit in between moves the version again, so nothing is missed.
                    cursor = _send(engine, self._watcher.cursor(), self.READ, ())
                    try:
                        self._seen = (version, dict(cursor.fetchall()))
                    finally:
                        cursor.close()
                return self._seen[1]
            except sqlite3.Error:  # no counts table yet, the file gone: read each time, and start again
                if self._watcher is not None:
                    self._watcher.close()
                self._watcher, self._seen = None, None
                return None


class Listener(Copies):
    """PostgreSQL: this process's generations of the watched tables, kept by one listening connection."""

    def __init__(self, conninfo: str):
        super().__init__()
        self.conninfo = conninfo
        self._next = itertools.count(1)  # next() is atomic: two moves never give the same generation
        self.generations = {t: next(self._next) for t in WATCHED}
        self.heard_at = 0.0  # monotonic time the server was last heard from; 0 while not listening
        self._written = weakref.WeakKeyDictionary()  # driver connection -> watched tables its transaction wrote
        threading.Thread(target=self._run, name="halldesk-signals", daemon=True).start()

    def stamp(self, tables: tuple, outside: bool = False) -> tuple | None:  # noqa: ARG002 - any reader alike
        """Return the tables' generations now, or None if the listener cannot vouch for them."""
        if time.monotonic() - self.heard_at > 2 * HEARTBEAT_S:
            return None
        generations = self.generations
        return tuple(generations[t] for t in tables)

    def moved(self, table: str) -> None:
        self.generations[table] = next(self._next)

    def own_write(self, _conn, cursor, statement: str, *_args) -> None:
        """Move a table's generation as this process writes it (its notice comes at commit, to the others too)."""
        match = _WRITE.match(statement)
        if match:
            tables = [t.lower() for t in (_NAMES.findall(statement) if statement.lstrip()[:8].upper() == "TRUNCATE"
                                          else (match.group(1),))]
            self._written.setdefault(cursor.connection, set()).update(tables)
            for table in tables:
                self.moved(table)

    def rolled_back(self, conn) -> None:
        """A rolled-back write is announced to nobody: move its tables again, past any copy read inside it."""
        for table in self._written.pop(conn.connection.driver_connection, ()):
            self.moved(table)

    def committed(self, conn) -> None:
        self._written.pop(conn.connection.driver_connection, None)  # the notice moves them, for every server

    def _moved_all(self) -> None:
        for table in WATCHED:
            self.moved(table)
        self.copies.clear()

    def _run(self) -> None:
        import psycopg
        while True:
            try:
                with psycopg.connect(self.conninfo, autocommit=True, connect_timeout=5, keepalives=1,
                                     keepalives_idle=int(HEARTBEAT_S), keepalives_interval=2, keepalives_count=2,
                                     application_name="halldesk-signals") as connection:
                    connection.execute(f"LISTEN {CHANNEL}")
                    self._moved_all()  # whatever changed while nobody listened
                    for beat in itertools.count():
                        # Vouch only for what was heard: this process's own notice must come back through
                        # the server (a pooler that drops LISTEN, a dead link: the beat is not heard).
                        token = f"beat {os.getpid()} {beat}"
                        connection.execute("SELECT pg_notify(%s, %s)", (CHANNEL, token))
                        for notice in connection.notifies(timeout=HEARTBEAT_S):
                            if notice.payload == token:
                                self.heard_at = time.monotonic()
                            elif notice.payload in self.generations:
                                self.moved(notice.payload)
            except (psycopg.Error, OSError) as error:  # stop vouching, then connect again
                if self.heard_at:  # said once when it is lost, not every second while it is
                    _log.warning("change signal lost (%s); polls read the database until it is back", error)
            self.heard_at = 0.0
            self._moved_all()
            time.sleep(1)


_listeners: dict = {}
_lock = threading.Lock()


def copy(key, tables: tuple, read, outside: bool = False):
    """Return read(), or this worker's copy of what it returned while none of the tables has changed since.

    outside=True: read() runs on a connection of its own, not the request's session (stamp()). A None read
    is not kept.
    """
    if not current_app.config.get("CHANGE_SIGNALS", True):
        return read()
    signal = source(db.engine)
    stamp = signal.stamp(tables, outside)  # before the read: a change during it ends the copy
    found = signal.kept(key, stamp)
    if found is None:
        found = read()
        signal.keep(key, stamp, found)
    return found


def forget_all() -> None:
    """Drop every copy this process keeps: the database was emptied or restored behind the signal's back
    (a restored backup brings back older counts, which could match a copy's stamp)."""
    for (pid, _database), found in list(_listeners.items()):
        if pid == os.getpid():
            found.copies.clear()
            if isinstance(found, Listener):
                found._moved_all()


def source(engine) -> Copies:
    """Return this process's signal for the engine's database: its Listener, or SQLite's Counters."""
    if engine.dialect.name == "postgresql":
        return listener(engine)
    key = (os.getpid(), str(engine.url))
    found = _listeners.get(key)
    if found is None:
        database = engine.url.database
        in_file = bool(database) and database != ":memory:" and not database.startswith("file:")
        found = _listeners[key] = Counters(database if in_file else None)
    return found


def listener(engine) -> Listener | None:
    """Return this process's listener for the engine's PostgreSQL database (started on first use), else None."""
    if engine.dialect.name != "postgresql":
        return None
    conninfo = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    key = (os.getpid(), conninfo)  # a forked worker listens for itself
    found = _listeners.get(key)
    if found is None:
        with _lock:
            found = _listeners.get(key) or Listener(conninfo)
            _listeners[key] = found
    if not event.contains(engine, "after_cursor_execute", found.own_write):
        event.listen(engine, "after_cursor_execute", found.own_write)
        event.listen(engine, "rollback", found.rolled_back)
        event.listen(engine, "commit", found.committed)
    return found
