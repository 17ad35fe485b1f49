"""Count the SQL statements a request issues (for query budgets)."""
from contextlib import contextmanager

from sqlalchemy import event

from portal.extensions import db


@contextmanager
def count_queries(app):
    """Yield a list that collects every statement executed inside the block."""
    statements = []

    def on_execute(_conn, _cursor, statement, *_args):
        if not statement.lstrip().upper().startswith(("BEGIN", "PRAGMA", "SAVEPOINT", "RELEASE")):
            statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", on_execute)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", on_execute)
