"""Statements run straight on the driver's cursor: for hot paths whose statements cost less than SQLAlchemy.

A Core execution of a ready statement still builds its cache key, an execution context, a transaction
(BEGIN and ROLLBACK on SQLite) and a result object: several times the cost of the statement itself on
the few-microsecond polls. Here the statement is compiled once per dialect; each call checks out a
pooled connection, runs it outside any transaction (autocommit) and applies the columns' result
processors. The engine's cursor events still fire, so query counts and timings see the statement.

together() runs a request's independent SELECTs on its own connection at once: on PostgreSQL in one
round trip (psycopg's pipeline), on SQLite one after another; each gives its rows as named tuples.

DriverConnection runs a hot write's few statements (the rating tap's) on a pooled connection of its own,
outside the session: the same Core statements, compiled once, with the engine's cursor, commit and
rollback events, so SQLite's write lock, PostgreSQL's change signals and the query counts still apply.
"""
from collections import namedtuple
from operator import methodcaller

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
        try:
            row = _outside(engine, lambda connection: _execute(engine, connection, sql, args))
        except engine.dialect.loaded_dbapi.Error:
            return None
        if row is None:
            return None
        return {c: (p(v) if p else v) for c, p, v in zip(columns, processors, row, strict=True)}

    def all(self, engine: Engine, **values) -> list:
        """Return every row (named tuples of processed values), read outside any transaction: for a page or
        fragment that only shows them (no BEGIN and ROLLBACK round trips on PostgreSQL). Driver errors raise."""
        sql, args = self._bound(engine, values)
        return self._rows(engine, _outside(engine, lambda connection: _execute(engine, connection, sql, args,
                                                                               fetch=methodcaller("fetchall"))))

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


def _send(engine: Engine, cursor, sql: str, args, conn=None):
    for listener in engine.dispatch.before_cursor_execute:
        sql, args = listener(conn, cursor, sql, args, None, False)
    cursor.execute(sql, args)
    for listener in engine.dispatch.after_cursor_execute:
        listener(conn, cursor, sql, args, None, False)
    return cursor


def _given(bind) -> bool:
    """Say whether a bound parameter is given on each call (a bare bindparam) rather than in the statement."""
    return bind.value is None and bind.callable is None


def _processor(bind, dialect):
    return bind.type.dialect_impl(dialect).bind_processor(dialect)


def _outside(engine: Engine, run):
    """Run run(connection) on a pooled connection of its own in autocommit, outside the session's transaction."""
    autocommit = engine.dialect.name == "postgresql"  # SQLite's driver connection is in autocommit already
    connection = engine.raw_connection()
    try:
        driver = connection.driver_connection
        if autocommit:
            driver.autocommit = True  # no BEGIN and ROLLBACK round trips for a read
        try:
            return run(connection)
        finally:
            if autocommit:
                driver.autocommit = False
    except engine.dialect.loaded_dbapi.Error:
        connection.invalidate()  # whatever went wrong, this connection is not handed out again
        raise
    finally:
        connection.close()


def _processed(bind, dialect):
    processor = _processor(bind, dialect)
    return processor(bind.effective_value) if processor else bind.effective_value


def _execute(engine: Engine, connection, sql: str, args, conn=None, fetch=methodcaller("fetchone")):
    cursor = connection.cursor()
    try:
        return fetch(_send(engine, cursor, sql, args, conn))
    finally:
        cursor.close()


class DriverResult:
    """What a statement run by DriverConnection gives back: its rows as the driver returned them (no processing)."""

    __slots__ = ("rows", "rowcount")

    def __init__(self, rows: list, rowcount: int):
        self.rows, self.rowcount = rows, rowcount

    def first(self):
        return self.rows[0] if self.rows else None

    def one(self):
        if len(self.rows) != 1:
            raise LookupError(f"one row expected, {len(self.rows)} found")
        return self.rows[0]

    def scalar(self):
        return self.rows[0][0] if self.rows else None

    def scalar_one(self):
        return self.one()[0]


class DriverConnection:
    """A pooled connection whose statements go straight to the driver: for a hot write's few statements.

    execute() takes the Core statements (and parameters) a Connection takes, compiles each once per
    dialect and set of parameter names, applies the columns' bind processors, and runs it on the driver
    with the engine's cursor events (its `connection` is the pool's, as a Connection's is: SQLite's
    write lock is taken by the first write, PostgreSQL's reads run outside a transaction until then, and
    query counts see every statement). Rows come back as the driver gives them: take integers (ids,
    counts) or use DriverStatement for columns that need converting. commit() and rollback() end the
    transaction through the dialect, firing the engine's commit and rollback events; close() returns the
    connection to the pool (rolling back what was not committed). Give it statements built once (at
    import or under functools.cache): each statement object is compiled, and kept, once.
    """

    _compiled: dict = {}

    def __init__(self, engine: Engine):
        self.engine, self.dialect = engine, engine.dialect
        self.connection = engine.raw_connection()
        driver = self.connection.driver_connection
        if self.dialect.name == "postgresql":
            driver.autocommit = True  # reads on their own until the first write begins the transaction

    def execute(self, statement, parameters=None) -> DriverResult:
        """Run a Core statement with one dict of parameters, or a list of them (executemany)."""
        many = isinstance(parameters, list)
        given = (parameters[0] if many else parameters) or {}
        sql, names, constants, processors = self._for(statement, given)
        if many:
            args = [self._args(names, constants, processors, p) for p in parameters]
        else:
            args = self._args(names, constants, processors, given)
        cursor = self.connection.cursor()
        try:
            for listener in self.engine.dispatch.before_cursor_execute:
                sql, args = listener(self, cursor, sql, args, None, many)
            try:
                cursor.executemany(sql, args) if many else cursor.execute(sql, args)
                rows = cursor.fetchall() if cursor.description is not None else []
            except self.dialect.loaded_dbapi.Error as error:
                from sqlalchemy.exc import DBAPIError
                raise DBAPIError.instance(sql, args, error, self.dialect.loaded_dbapi.Error,
                                          dialect=self.dialect) from error
            for listener in self.engine.dispatch.after_cursor_execute:
                listener(self, cursor, sql, args, None, many)
            return DriverResult(rows, cursor.rowcount)
        finally:
            cursor.close()

    def commit(self) -> None:
        self.dialect.do_commit(self.connection)
        self.engine.dispatch.commit(self)

    def rollback(self) -> None:
        self.dialect.do_rollback(self.connection)
        self.engine.dispatch.rollback(self)

    def close(self) -> None:
        self.connection.close()

    def _for(self, statement, given: dict) -> tuple:
        key = (statement, self.dialect.name, tuple(given))
        found = self._compiled.get(key)
        if found is None:
            compiled = statement.compile(dialect=self.dialect, column_keys=list(given))
            binds = compiled.binds
            processors = {name: _processor(bind, self.dialect) for name, bind in binds.items() if name in given}
            constants = {name: _processed(bind, self.dialect) for name, bind in binds.items()
                         if name not in given and not _given(bind)}
            # The columns' own scalar defaults for those not given, as a Core execution fills them in.
            for column in (*compiled.insert_prefetch, *compiled.update_prefetch):
                default = column.onupdate if column in compiled.update_prefetch else column.default
                if column.key in given or default is None:
                    continue
                if not default.is_scalar:
                    raise ValueError(f"{column.key}: only scalar defaults are filled in on the driver")
                processor = _processor(binds[column.key], self.dialect)
                constants[column.key] = processor(default.arg) if processor else default.arg
            found = self._compiled[key] = (str(compiled), compiled.positiontup, constants, processors)
        return found

    def first_of(self, statement: "DriverStatement", **values):
        """Run a DriverStatement's SELECT here; return its first row's processed values in column order, or None."""
        sql, args = statement._bound(self.engine, values)
        processors = statement._for(self.engine)[4]
        row = _execute(self.engine, self.connection, sql, args, self)
        return None if row is None else tuple((p(v) if p else v) for p, v in zip(processors, row, strict=True))

    @staticmethod
    def _args(names, constants: dict, processors: dict, values: dict):
        bound = {**constants, **{k: (processors[k](v) if processors.get(k) else v) for k, v in values.items()}}
        return [bound[n] for n in names] if names is not None else bound
