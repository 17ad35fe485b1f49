"""SQLite: a write holds the write lock from its first write statement to its commit, not for the whole request."""
import errno
import fcntl
import os
import sqlite3
import threading

import pytest
from sqlalchemy import event, text

from portal.database import WRITER_HELD, WRITER_LOCK, WRITER_WAIT
from portal.extensions import db
from portal.once import new_key
from tests.conftest import PG_URL
from tests.duty_fixtures import frozen, leaders, on_duty  # noqa: F401 - pytest fixtures
from tests.querycount import count_queries, statement_states
from tests.test_duty_pages import _new_item, desk  # noqa: F401 - pytest fixture

pytestmark = pytest.mark.skipif(bool(PG_URL), reason="SQLite's write lock")


def _path(app) -> str:
    return app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")


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
    path = _path(app)
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
    return _path(app) + ".writer-lock"


def _free(app) -> bool:
    """Say whether another descriptor (another worker) could take the writers' lock now."""
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


def test_a_keyed_write_claims_its_key_as_its_first_write_not_before_its_reads(app, client, desk):
    with count_queries(app) as statements, statement_states(app, lambda _driver: _free(app)) as seen:
        assert _new_item(client, desk, once=new_key()).status_code == 200
    first_write = next(i for i, (word, _) in enumerate(seen) if word != "SELECT")
    assert all(free for _, free in seen[:first_write]), seen
    assert any("FROM duty_day" in s for s in statements[:first_write]), statements  # the view's reads came first
    assert statements[first_write].startswith("INSERT INTO submission_key"), statements
    assert _count_items(app) == 1


def _count_items(app) -> int:
    from portal.duty.models import DutyLogItem
    with app.app_context():
        return db.session.query(DutyLogItem).count()


def _save_twin(app, key: str, login: str, answer: str | None) -> None:
    """Another worker's sending of the same form: its key committed, with its stored answer (or none yet)."""

    from portal.auth.models import User
    with app.app_context():
        user_id = db.session.query(User.id).filter_by(login=login).scalar()
    other = sqlite3.connect(_path(app), isolation_level=None)
    try:
        other.execute("INSERT INTO submission_key (key, user_id, endpoint, created_at, status, headers, body) "
                      "VALUES (?, ?, 'duty.log_new', '2026-11-25 01:00:00.000000', ?, '{}', ?)",
                      (key, user_id, 200 if answer else None, answer or ""))
    finally:
        other.close()


def test_a_twin_that_saved_while_this_sending_read_is_replayed_and_nothing_is_saved_twice(app, client, desk):
    key = new_key()

    def twin_saves(_conn, _cursor, statement, *_a):
        if "FROM duty_day" in statement and not saved:  # the view reads: its key is not claimed yet
            saved.append(True)
            _save_twin(app, key, "zhiban", "<p>第一次提交的回答</p>")
    saved = []
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", twin_saves)
    try:
        answer = _new_item(client, desk, once=key)
    finally:
        event.remove(engine, "before_cursor_execute", twin_saves)
    assert answer.status_code == 200 and answer.headers.get("X-HallDesk-Replayed") == "1"
    assert answer.get_data(as_text=True) == "<p>第一次提交的回答</p>"
    assert _count_items(app) == 0 and _free(app)  # only the twin's (stand-in) answer: nothing of this sending


def test_a_refused_twin_of_a_saved_sending_gets_the_saved_answer(app, client, desk):
    """The first sending saved; the second, reading what the first saved, writes nothing: it is answered the same."""
    key = new_key()
    _save_twin(app, key, "zhiban", "<p>第一次提交的回答</p>")
    answer = _new_item(client, desk, text="", once=key)  # refused on its own (422), writes nothing
    assert answer.status_code == 200 and answer.get_data(as_text=True) == "<p>第一次提交的回答</p>"


def test_a_refused_sending_with_a_fresh_key_is_answered_its_refusal(app, client, desk):
    assert _new_item(client, desk, text="", once=new_key()).status_code == 422
    assert _count_items(app) == 0


def test_a_file_system_without_locks_leaves_the_writes_to_sqlite(app, monkeypatch):


    def no_locks(_fd, _op):
        raise OSError(errno.ENOLCK, "No locks available")
    with app.app_context():
        db.session.remove()
        monkeypatch.setattr(fcntl, "flock", no_locks)
        db.session.execute(text("UPDATE hall SET name = name"))
        fairy = db.session.connection().connection
        assert WRITER_LOCK not in fairy.info  # given up for this connection, its descriptor closed
        db.session.commit()
        db.session.execute(text("UPDATE hall SET name = name"))  # and the next write goes on as well
        db.session.commit()
