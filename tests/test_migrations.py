"""Migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import text
from sqlalchemy.engine import make_url

from portal import create_app
from portal.extensions import db
from tests.conftest import PG_URL


def test_upgrade_from_empty_matches_the_models(tmp_path):
    pg = make_url(PG_URL) if PG_URL else None
    url = (pg.set(database=f"{pg.database}_migrate").render_as_string(hide_password=False)
           if PG_URL else f"sqlite:///{tmp_path / 'migrated.sqlite3'}")
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_DIR": tmp_path})
    with app.app_context():
        if PG_URL:
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        upgrade()
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
        db.engine.dispose()
    assert diff == [], f"models and migrations differ: {diff}"
