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


def _lock_path(app) -> str:
    return app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///") + ".writer-lock"


def _free(app) -> bool:
    """Say whether another descriptor (another worker) could take the writers' lock now."""
    import fcntl
    import os
    fd = os.open(_lock_path(app), os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False
    finally:
        os.close(fd)  # lets go of it, if taken


def test_a_write_holds_the_writers_lock_from_its_first_write_to_its_commit(app, client, desk):
    with statement_states(app, lambda _driver: _free(app)) as seen:
        assert _new_item(client, desk).status_code == 200
    writes = [i for i, (word, _) in enumerate(seen) if word != "SELECT"]
    assert all(free for _, free in seen[:writes[0]]), seen  # its reads leave other writers alone
    assert not any(free for _, free in seen[writes[0]:writes[-1] + 1]), seen  # held through its audit rows
    assert all(free for _, free in seen[writes[-1] + 1:]), seen  # the answer is read after the commit
    assert _free(app)


def test_a_rolled_back_write_and_a_returned_connection_let_the_writers_lock_go(app):
    from sqlalchemy import text
    with app.app_context():
        db.session.execute(text("UPDATE hall SET name = name"))
        assert not _free(app)
        db.session.rollback()
        assert _free(app)
        db.session.execute(text("UPDATE hall SET name = name"))
        assert not _free(app)
        db.session.remove()  # the connection goes back to the pool, its transaction rolled back
        assert _free(app)


def test_a_writer_begins_once_the_other_writer_lets_the_lock_go(app, client, desk):
    """Another worker holds the lock: the write waits for it (not for SQLite's lock) and begins after."""
    import fcntl
    import os
    import threading
    fd = os.open(_lock_path(app), os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX)
    released = threading.Event()

    def let_go():
        threading.Event().wait(0.2)  # the write has begun by then and waits; only the order is checked
        released.set()
        fcntl.flock(fd, fcntl.LOCK_UN)
    other = threading.Thread(target=let_go)
    other.start()
    try:
        with statement_states(app, lambda _driver: released.is_set()) as seen:
            assert _new_item(client, desk).status_code == 200
    finally:
        other.join()
        os.close(fd)
    first_write = next(i for i, (word, _) in enumerate(seen) if word != "SELECT")
    assert seen[first_write][1], seen  # the first write statement ran only after the other let go


def test_a_writer_does_not_wait_for_the_lock_for_ever(app):
    """Past the busy timeout a writer goes on without the lock file (SQLite's own lock decides)."""
    import fcntl
    import os

    from sqlalchemy import text

    from portal.database import WRITER_HELD, WRITER_WAIT
    fd = os.open(_lock_path(app), os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX)  # a program holding the file, and not SQLite's lock
    try:
        with app.app_context():
            fairy = db.session.connection().connection
            fairy.info[WRITER_WAIT] = 0.05
            db.session.execute(text("UPDATE hall SET name = name"))
            assert WRITER_HELD not in fairy.info
            db.session.commit()
    finally:
        os.close(fd)
