"""The ledger's charge numbers arrive on a database that already holds events other rows refer to."""
from flask_migrate import downgrade, upgrade
from sqlalchemy import text
from sqlalchemy.engine import make_url

from portal import create_app
from portal.extensions import db
from tests.conftest import PG_URL

REVISION = "7d9801f0183e"  # score event charges under a key
EVENT = ("INSERT INTO score_event (id, hall_id, centipoints, rule, source, day, recorded_at, evidence, note, "
         "dedupe_key, reverses_id) VALUES (:id, 1, :c, '办件超期', 'case', '2026-12-01', '2026-12-01 08:00:00', "
         "'', '', :k, :r)")


def _before() -> str:
    """Return the revision the charges migration follows (whatever the merges chained it onto)."""
    from alembic.script import ScriptDirectory
    from flask import current_app
    config = current_app.extensions["migrate"].migrate.get_config()
    return ScriptDirectory.from_config(config).get_revision(REVISION).down_revision


def _app(tmp_path):
    pg = make_url(PG_URL) if PG_URL else None
    url = (pg.set(database=f"{pg.database}_migrate").render_as_string(hide_password=False)
           if PG_URL else f"sqlite:///{tmp_path / 'ledger.sqlite3'}")
    return create_app({"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_DIR": tmp_path})


def _fill():
    """Add a hall, a keyed charge, its reversal and a row of another table that refers to the charge."""
    db.session.execute(text("INSERT INTO hall (id, name, level, address, phone, active, created_at, updated_at) "
                            "VALUES (1, '示范大厅', 'county', '', '', true, '2026-12-01', '2026-12-01')"))
    db.session.execute(text(EVENT), {"id": 1, "c": -500, "k": "case:1:BJ100:overdue-unit", "r": None})
    db.session.execute(text(EVENT), {"id": 2, "c": 500, "k": None, "r": 1})
    db.session.execute(text("CREATE TABLE zz_charge_ref (id INTEGER PRIMARY KEY, "
                            "event_id INTEGER NOT NULL REFERENCES score_event (id))"))
    db.session.execute(text("INSERT INTO zz_charge_ref (id, event_id) VALUES (1, 1)"))
    db.session.commit()


def _rows():
    rows = db.session.execute(text("SELECT id, dedupe_key, charge_no, releases_key FROM score_event ORDER BY id")).all()
    db.session.commit()
    return [tuple(r) for r in rows]


def test_existing_charges_become_first_charges_and_their_references_hold(tmp_path):
    app = _app(tmp_path)
    with app.app_context():
        if PG_URL:
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        before = _before()
        upgrade(revision=before)
        _fill()
        upgrade()
        assert _rows() == [(1, "case:1:BJ100:overdue-unit", 1, False), (2, None, 1, False)]
        assert db.session.execute(text("SELECT event_id FROM zz_charge_ref")).scalar() == 1
        db.session.commit()
        downgrade(revision=before)
        upgrade()
        assert len(_rows()) == 2
        if not PG_URL:
            assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        db.session.remove()
        db.engine.dispose()
