"""SELECTs run straight on the driver's cursor: for hot paths whose statements cost less than SQLAlchemy.

A Core execution of a ready statement still builds its cache key, an execution context, a transaction
(BEGIN and ROLLBACK on SQLite) and a result object: several times the cost of the statement itself on
the few-microsecond polls. Here the statement is compiled once per dialect; each call checks out a
pooled connection, runs it outside any transaction (autocommit) and applies the columns' result
processors. The engine's cursor events still fire, so query counts and timings see the statement.

together() runs a request's independent SELECTs on its own connection at once: on PostgreSQL in one
round trip (psycopg's pipeline), on SQLite one after another; each gives its rows as named tuples.
"""
from collections import namedtuple

from sqlalchemy import Select
from sqlalchemy.engine import Connection, Engine


class DriverStatement:
    """A SELECT compiled once per dialect, run on the driver with the given bound values."""

    def __init__(self, query: Select):
        self.query = query
        self._compiled: dict[str, tuple] = {}

    def first(self, engine: Engine, **values) -> dict | None:
        """Return the first row as a dict of column name to processed value, or None; None on a driver error."""
        sql, args = self._bound(engine, values)
        processors, columns = self._for(engine)[4:6]
        autocommit = engine.dialect.name == "postgresql"  # SQLite's driver connection is in autocommit already
        connection = engine.raw_connection()
        try:
            driver = connection.driver_connection
            if autocommit:
                driver.autocommit = True  # no BEGIN and ROLLBACK round trips for one SELECT
            try:
                row = _execute(engine, connection, sql, args)
            finally:
                if autocommit:
                    driver.autocommit = False
        except engine.dialect.loaded_dbapi.Error:
            connection.invalidate()  # whatever went wrong, this connection is not handed out again
            return None
        finally:
            connection.close()
        if row is None:
            return None
        return {c: (p(v) if p else v) for c, p, v in zip(columns, processors, row, strict=True)}

    def _bound(self, engine, values: dict) -> tuple:
        """The statement's SQL and its driver arguments for these values."""
        sql, names, constants, given = self._for(engine)[:4]
        bound = {**constants, **{k: (given[k](v) if given.get(k) else v) for k, v in values.items()}}
        return sql, ([bound[n] for n in names] if names is not None else bound)

    def _rows(self, engine, rows: list) -> list:
        processors, _columns, row = self._for(engine)[4:7]
        return [row._make([(p(v) if p else v) for p, v in zip(processors, r, strict=True)]) for r in rows]

    def _for(self, engine: Engine) -> tuple:
        dialect = engine.dialect
        if dialect.name not in self._compiled:
            compiled = self.query.compile(dialect=dialect)
            selected = list(self.query.selected_columns)
            given = {name: _processor(bind, dialect) for name, bind in compiled.binds.items() if _given(bind)}
            constants = {name: _processed(bind, dialect) for name, bind in compiled.binds.items() if not _given(bind)}
            self._compiled[dialect.name] = (
                str(compiled), compiled.positiontup, constants, given,
                [c.type.dialect_impl(dialect).result_processor(dialect, None) for c in selected],
                [c.key for c in selected], namedtuple("Row", [c.key for c in selected], rename=True))
        return self._compiled[dialect.name]


def together(connection: Connection, runs: list[tuple[DriverStatement, dict]]) -> list[list]:
    """Run independent SELECTs on the request's connection at once; return each one's rows (named tuples).

    On PostgreSQL they go in one pipeline: one round trip for all of them, each statement still seeing what
    was committed when it ran, as it would one after another. Errors are raised as the driver's.
    """
    engine = connection.engine
    driver = connection.connection.driver_connection
    bound = [(statement, *statement._bound(engine, values)) for statement, values in runs]
    cursors = []
    if engine.dialect.name == "postgresql":
        with driver.pipeline():
            for _statement, sql, args in bound:
                cursors.append(_send(engine, driver.cursor(), sql, args))
    else:
        cursors = [_send(engine, connection.connection.cursor(), sql, args) for _statement, sql, args in bound]
    try:
        return [statement._rows(engine, cursor.fetchall()) for (statement, _sql, _args), cursor in
                zip(bound, cursors, strict=True)]
    finally:
        for cursor in cursors:
            cursor.close()


def _send(engine: Engine, cursor, sql: str, args):
    for listener in engine.dispatch.before_cursor_execute:
        sql, args = listener(None, cursor, sql, args, None, False)
    cursor.execute(sql, args)
    for listener in engine.dispatch.after_cursor_execute:
        listener(None, cursor, sql, args, None, False)
    return cursor


def _given(bind) -> bool:
    """Say whether a bound parameter is given on each call (a bare bindparam) rather than in the statement."""
    return bind.value is None and bind.callable is None


def _processor(bind, dialect):
    return bind.type.dialect_impl(dialect).bind_processor(dialect)


def _processed(bind, dialect):
    processor = _processor(bind, dialect)
    return processor(bind.effective_value) if processor else bind.effective_value


def _execute(engine: Engine, connection, sql: str, args):
    cursor = connection.cursor()
    try:
        for listener in engine.dispatch.before_cursor_execute:
            sql, args = listener(None, cursor, sql, args, None, False)
        cursor.execute(sql, args)
        for listener in engine.dispatch.after_cursor_execute:
            listener(None, cursor, sql, args, None, False)
        return cursor.fetchone()
    finally:
        cursor.close()
