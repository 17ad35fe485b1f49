"""PostgreSQL's change signal: every change to a few watched tables is announced to every app server.

A trigger on each watched table runs pg_notify(CHANNEL, <table>) at the end of every statement that changes
it; PostgreSQL delivers the notice at commit (never for a rolled-back change) to every connection that
listens, on every machine. Each worker process keeps one listening connection in a background thread and
a generation for each table: what a request read from a table at generation G is still what the table
holds while its generation is G. The process's own writes move the generation as they are made, so its
next request never depends on the notice's round trip. Every HEARTBEAT_S the listener sends a notice of its
own and waits for it to come back; while it is not connected, or has not heard its own notice for
2 x HEARTBEAT_S, stamp() says None and nothing may be taken from a copy.

Used by polls.py: a signed-in poll's session, person, roles and version are read from the database once,
then taken from this process's copy until one of their tables changes.
"""
import itertools
import logging
import os
import re
import threading
import time

from sqlalchemy import DDL, event

CHANNEL = "halldesk_changes"
WATCHED = ("user_session", "user", "user_role", "duty_pulse", "inbox_pulse")
HEARTBEAT_S = 5.0
FUNCTION = ("CREATE OR REPLACE FUNCTION halldesk_announce() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN PERFORM pg_notify('{CHANNEL}', TG_TABLE_NAME); RETURN NULL; END $$")
_WRITE = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|TRUNCATE)\s+"?(' + "|".join(WATCHED) + r')"?\b',
                    re.IGNORECASE)
_NAMES = re.compile(r'"?\b(' + "|".join(WATCHED) + r')\b"?', re.IGNORECASE)
_log = logging.getLogger(__name__)


def trigger(table: str) -> str:
    """The statement that makes the table announce its changes."""
    return (f'CREATE TRIGGER halldesk_announce AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "{table}" '
            "FOR EACH STATEMENT EXECUTE FUNCTION halldesk_announce()")


def install(metadata) -> None:
    """Create the function and the triggers with the tables (create_all), on PostgreSQL only."""
    function = DDL(FUNCTION).execute_if(dialect="postgresql")
    if not event.contains(metadata, "before_create", function):
        event.listen(metadata, "before_create", function)
    for name in WATCHED:
        table = metadata.tables[name]
        if not table.info.get("announces"):
            event.listen(table, "after_create", DDL(trigger(name)).execute_if(dialect="postgresql"))
            table.info["announces"] = True


class Listener:
    """This process's generations of the watched tables, kept by one listening connection."""

    def __init__(self, conninfo: str):
        self.conninfo = conninfo
        self._next = itertools.count(1)  # next() is atomic: two moves never give the same generation
        self.generations = {t: next(self._next) for t in WATCHED}
        self.heard_at = 0.0  # monotonic time the server was last heard from; 0 while not listening
        self.copies: dict = {}  # what the users of the signal keep: key -> (stamp, value)
        threading.Thread(target=self._run, name="halldesk-signals", daemon=True).start()

    def stamp(self, tables: tuple) -> tuple | None:
        """Return the tables' generations now, or None if the listener cannot vouch for them."""
        if time.monotonic() - self.heard_at > 2 * HEARTBEAT_S:
            return None
        generations = self.generations
        return tuple(generations[t] for t in tables)

    def moved(self, table: str) -> None:
        self.generations[table] = next(self._next)

    def own_write(self, _conn, _cursor, statement: str, *_args) -> None:
        """Move a table's generation as this process writes it (its notice comes at commit, to the others too)."""
        match = _WRITE.match(statement)
        if match:
            for table in (_NAMES.findall(statement) if statement.lstrip()[:8].upper() == "TRUNCATE"
                          else (match.group(1),)):
                self.moved(table.lower())

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
    return found
