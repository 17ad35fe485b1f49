"""Fixtures: a fresh app on a real database (SQLite file, or PostgreSQL via DATABASE_URL)."""
import os
import re
import shutil
import sqlite3
from contextlib import closing, contextmanager

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from portal import clock, create_app
from portal.audit import service as audit
from portal.auth import passwords
from portal.auth.models import User
from portal.extensions import db
from portal.org.models import Department, Hall, Window
from portal.roles import Role

PASSWORD = "Test-pass-2026"
PG_URL = os.environ.get("DATABASE_URL", "")
_pg_schema_ready = False


def _share_url_builders() -> None:
    """Compile each URL rule's builder once per run, not once per test's app.

    Every test builds its own app, and werkzeug writes and compiles two small functions for each of the
    portal's rules when the app registers them (about 80 ms an app, most of create_app). The code depends
    only on the rule's text, its parts and its defaults; each new rule still gets it bound to itself.
    """
    from werkzeug.routing.rules import Rule
    compile_builder, compiled = Rule._compile_builder, {}

    def shared(self, append_unknown=True):
        key = (self.rule, tuple(self._trace), repr(sorted((self.defaults or {}).items())), append_unknown)
        if key not in compiled:
            compiled[key] = compile_builder(self, append_unknown)
        return compiled[key]

    Rule._compile_builder = shared


_share_url_builders()


def _reset_postgres():
    """Empty every table and restart the sequences the last test used (a new schema the first time).

    A test leaves a few rows: deleting them is far cheaper than TRUNCATE, which gives each table (and,
    with CASCADE, every table that refers to it) new files. The deletes run in one batch, most of them
    with the foreign keys and the audit table's append-only trigger off for that transaction only (SET
    LOCAL session_replication_role), since every table ends empty.
    """
    global _pg_schema_ready
    if not _pg_schema_ready:
        db.drop_all()
        db.create_all()
        _pg_schema_ready = True
        return
    from portal import signals
    from portal.signals import CHANNEL, WATCHED
    tables = [t.name for t in reversed(db.metadata.sorted_tables)]  # those that refer to others first
    emptied = "; ".join(f'DELETE FROM "{n}"' for n in tables)
    # The triggers are off with the foreign keys (user and window refer to each other): the change signal's
    # tables are announced as their triggers would, so a kept copy of a row hears it is gone.
    announced = "; ".join(f"SELECT pg_notify('{CHANNEL}', '{n}')" for n in WATCHED)
    with db.engine.begin() as conn:
        conn.exec_driver_sql(f"SET LOCAL session_replication_role = replica; {emptied}; "
                             f"SET LOCAL session_replication_role = origin; {announced}; DO $$ DECLARE s text; "
                             "BEGIN FOR s IN SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename) "
                             "FROM pg_sequences WHERE last_value IS NOT NULL LOOP "
                             "EXECUTE 'ALTER SEQUENCE ' || s || ' RESTART'; END LOOP; END $$")
    signals.forget_all()  # this process's own copies: its listener would hear the notices only in a moment


@pytest.fixture(scope="session")
def sqlite_schema(tmp_path_factory):
    """An empty SQLite database with the whole schema, built once and copied for each test."""
    if PG_URL:
        return None
    folder = tmp_path_factory.mktemp("schema")
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'schema.sqlite3'}",
                      "INSTANCE_DIR": folder, "UPLOAD_DIR": folder / "uploads"})
    with app.app_context():
        db.create_all()
        db.session.remove()
        db.engine.dispose()
    return folder / "schema.sqlite3"


def _pg_database(name: str):
    """Return the URL of database `name` on the test server."""
    return make_url(PG_URL).set(database=name).render_as_string(hide_password=False)


def _pg_admin(*statements: str) -> None:
    """Run statements outside a transaction on the test server's maintenance database."""
    import psycopg
    url = make_url(PG_URL).set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(url, autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)


def _new_database(pg_name: str | None, sqlite_file, source) -> str:
    """Make a database for an app and return its URL.

    PostgreSQL: the database pg_name, made anew (from the template database `source` if it is a name).
    SQLite: sqlite_file, a copy of the file `source`.
    """
    if PG_URL:
        template = f' TEMPLATE "{source}"' if isinstance(source, str) else ""
        _pg_admin(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)', f'CREATE DATABASE "{pg_name}"{template}')
        return _pg_database(pg_name)
    shutil.copyfile(source, sqlite_file)
    return f"sqlite:///{sqlite_file}"


@pytest.fixture(scope="session")
def demo_master(tmp_path_factory, sqlite_schema):
    """The demo hall, loaded once per run: a SQLite file, or a PostgreSQL database used as a template.

    Tests marked `demo` get a copy of it (their `app` is built on the copy), so each of them sees the
    demo exactly as load_demo() leaves it, without loading it again.
    """
    from portal.demo import load_demo
    folder = tmp_path_factory.mktemp("demo")
    name = f"{make_url(PG_URL).database}_demo" if PG_URL else None
    url = _new_database(name, folder / "demo.sqlite3", sqlite_schema)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_DIR": folder, "UPLOAD_DIR": folder / "uploads"})
    with app.app_context():
        if PG_URL:
            db.create_all()
        load_demo()
        db.session.remove()
        db.engine.dispose()
    if PG_URL:
        return name
    with closing(sqlite3.connect(folder / "demo.sqlite3")) as conn:  # the copy is one file: nothing in a WAL
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return folder / "demo.sqlite3"


@pytest.fixture
def app(tmp_path, request, sqlite_schema):
    """Build the portal on a clean database (a copy of the demo hall for tests marked `demo`);
    after the test its audit chain must still verify."""
    demo = request.node.get_closest_marker("demo") is not None
    if demo:
        master = request.getfixturevalue("demo_master")
        url = _new_database(f"{master}_copy", tmp_path / "test.sqlite3", master)
    else:  # PostgreSQL: the one test database, emptied below
        url = PG_URL or _new_database(None, tmp_path / "test.sqlite3", sqlite_schema)
    config = {
        "SQLALCHEMY_DATABASE_URI": url,
        "INSTANCE_DIR": tmp_path,
        "UPLOAD_DIR": tmp_path / "uploads",
    }
    app = create_app(config)
    with app.app_context():
        if not demo:
            _reset_postgres() if PG_URL else db.create_all()
    yield app
    clock.freeze(None)
    with app.app_context():
        db.session.remove()
        ok, problems = (True, []) if request.node.get_closest_marker("chain_tampered") else audit.verify()
        db.session.remove()
        db.engine.dispose()
    assert ok, f"the test left a broken audit chain: {problems[:5]}"


@pytest.fixture
def client(app):
    return app.test_client()


def csrf_from(html: str) -> str:
    """Pull the CSRF token out of a page (a hidden field or the body's hx-headers)."""
    m = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or \
        re.search(r'"X-CSRFToken": "([^"]+)"', html)
    assert m, "no CSRF token on the page"
    return m.group(1)


@pytest.fixture
def hall(app):
    """A hall with two window units, one center office and two windows."""
    with app.app_context():
        h = Hall(name="测试政务服务中心", level="county")
        db.session.add(h)
        db.session.flush()
        tax = Department(hall_id=h.id, name="税务局", kind="window_unit")
        police = Department(hall_id=h.id, name="公安局户政", kind="window_unit")
        office = Department(hall_id=h.id, name="综合科", kind="center_office")
        db.session.add_all([tax, police, office])
        db.session.flush()
        db.session.add_all([Window(hall_id=h.id, number=1, name="税务综合窗口", department_id=tax.id),
                            Window(hall_id=h.id, number=2, name="户籍窗口", department_id=police.id)])
        db.session.commit()
        return {"hall": h.id, "tax": tax.id, "police": police.id, "office": office.id}


def change_elsewhere(app, sql: str) -> None:
    """Change the database from a connection of its own, as another app server or worker would (unseen here)."""
    if PG_URL:
        import psycopg
        with psycopg.connect(PG_URL.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as other:
            other.execute(sql)
        return
    with closing(sqlite3.connect(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"),
                                 isolation_level=None)) as other:
        other.execute(sql)


def listening(app):
    """Return the app's change signal once it can vouch for its copies (PostgreSQL: its listener heard itself)."""
    import time

    from portal import signals
    with app.app_context():
        found = signals.source(db.engine)
    deadline = time.monotonic() + 10
    while PG_URL and found.stamp(signals.WATCHED) is None:
        assert time.monotonic() < deadline, "the listener never connected"
        time.sleep(0.02)
    return found


def make_station(app, hall_id: int, **own) -> int:
    """Put the hall under a new county hall, as a station with its own values for these keys (opened to the
    stations: pass them with dots as double underscores, hours__morning_start="09:00"); return the county's id."""
    from portal.rulebook.models import HallRuleSetting, RuleOverridable
    with app.app_context():
        county = Hall(name="县政务服务中心", level="county")
        db.session.add(county)
        db.session.flush()
        db.session.get(Hall, hall_id).parent_id = county.id
        for name, value in own.items():
            key = name.replace("__", ".")
            db.session.add_all([RuleOverridable(key=key, marked_at=clock.now()),
                                HallRuleSetting(hall_id=hall_id, key=key, value=str(value), changed_at=clock.now())])
        db.session.commit()
        return county.id


def frozen_clock(default):
    """Make a fixture that pins the hall clock at `default` and returns a function to move it."""
    @pytest.fixture
    def frozen(app):
        def at(moment=default):
            clock.freeze(moment)
        at()
        return at
    return frozen


@contextmanager
def migrated_app(tmp_path):
    """Yield a portal whose empty database (SQLite file, or the *_migrate PostgreSQL DB) was built by the migrations."""
    from flask_migrate import upgrade
    url = (_pg_database(f"{make_url(PG_URL).database}_migrate") if PG_URL
           else f"sqlite:///{tmp_path / 'migrated.sqlite3'}")
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_DIR": tmp_path})
    with app.app_context():
        if PG_URL:
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        upgrade()
        try:
            yield app
        finally:
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def make_user(app, hall):
    """Return a function that creates a person with roles and the test password."""
    def make(login, *roles, department="tax", password=PASSWORD, must_change=False, **fields):
        with app.app_context():
            user = User(hall_id=hall["hall"], name=fields.pop("name", f"用户{login}"), login=login,
                        department_id=hall[department] if department else None, **fields)
            user.set_roles(roles or [Role.STAFF])
            passwords.set_password(user, password, must_change=must_change)
            db.session.add(user)
            db.session.commit()
            return user.id
    return make


def sign_in(client, login, password=PASSWORD):
    """Sign in through the login form, with its CSRF token."""
    page = client.get("/login")
    return client.post("/login", data={"login": login, "password": password,
                                       "csrf_token": csrf_from(page.get_data(as_text=True))})


@pytest.fixture
def login_as(client, make_user):
    """Return a function that creates a person with a role and signs the client in as them."""
    def login(role: Role, login_name: str | None = None, **fields):
        name = login_name or f"{role.value}1"
        uid = make_user(name, role, **fields)
        response = sign_in(client, name)
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return uid
    return login


def token(client, path="/") -> str:
    """Return a CSRF token for the client's session, taken from a page it can see."""
    return csrf_from(client.get(path).get_data(as_text=True))
