"""SQLite: a write holds the write lock from its first write statement to its commit, not for the whole request."""
import pytest
from sqlalchemy import event

from portal.extensions import db
from tests.conftest import PG_URL
from tests.duty_fixtures import frozen, leaders, on_duty  # noqa: F401 - pytest fixtures
from tests.querycount import statement_states
from tests.test_duty_pages import _new_item, desk  # noqa: F401 - pytest fixture

pytestmark = pytest.mark.skipif(bool(PG_URL), reason="SQLite's write lock")


def test_a_write_reads_before_it_takes_the_lock_and_writes_inside_one_transaction(app, client, desk):
    # Listens after the engine's own listener: for a write statement the lock is already taken.
    with statement_states(app, lambda driver: driver.in_transaction) as seen:
        assert _new_item(client, desk).status_code == 200
    first_write = next(i for i, (word, _) in enumerate(seen) if word != "SELECT")
    assert first_write > 0 and not any(in_tx for _, in_tx in seen[:first_write]), seen
    assert seen[first_write] == ("INSERT", True), seen


def test_a_page_reads_in_one_transaction(app, client, desk):
    with statement_states(app, lambda driver: driver.in_transaction) as seen:
        assert client.get("/duty/").status_code == 200
    assert seen and all(word == "SELECT" and in_tx for word, in_tx in seen), seen


def test_another_writer_is_not_kept_waiting_while_a_write_only_reads(app, client, desk):
    """While a registration is still reading, a second connection can write at once (busy timeout 0)."""
    import sqlite3
    path = app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    tried = []

    def write_elsewhere(_conn, _cursor, statement, *_a):
        if not tried and statement.lstrip().upper().startswith("SELECT"):
            other = sqlite3.connect(path, timeout=0, isolation_level=None)
            try:
                other.execute("BEGIN IMMEDIATE")
                other.execute("ROLLBACK")
                tried.append("free")
            except sqlite3.OperationalError as error:
                tried.append(str(error))
            finally:
                other.close()
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", write_elsewhere)
    try:
        assert _new_item(client, desk).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", write_elsewhere)
    assert tried == ["free"]
