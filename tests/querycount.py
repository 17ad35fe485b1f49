"""Count the SQL statements a request issues (for query budgets)."""
from contextlib import contextmanager

from sqlalchemy import event

from portal.extensions import db


@contextmanager
def _each_statement(app, on_execute):
    """Call on_execute(conn, cursor, statement, ...) for every statement the app's engine runs inside the block."""
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", on_execute)
    try:
        yield
    finally:
        event.remove(engine, "before_cursor_execute", on_execute)


@contextmanager
def count_queries(app):
    """Yield a list that collects every statement executed inside the block."""
    statements = []

    def on_execute(_conn, _cursor, statement, *_args):
        if not statement.lstrip().upper().startswith(("BEGIN", "PRAGMA", "SAVEPOINT", "RELEASE")):
            statements.append(statement)

    with _each_statement(app, on_execute):
        yield statements


@contextmanager
def statement_states(app, state):
    """Yield a list of (statement's first word, state(driver connection)) for every statement in the block."""
    seen = []

    def on_execute(_conn, cursor, statement, *_args):
        seen.append((statement.split(None, 1)[0].upper(), state(cursor.connection)))

    with _each_statement(app, on_execute):
        yield seen
