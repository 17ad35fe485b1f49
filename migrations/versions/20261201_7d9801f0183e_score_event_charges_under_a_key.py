"""score event charges under a key: a charge taken back by a correction may be charged again

Revision ID: 7d9801f0183e
Revises: 8b4f62d1e0a5
Create Date: 2026-12-01 11:45:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '7d9801f0183e'
down_revision = '8b4f62d1e0a5'
branch_labels = None
depends_on = None


def _foreign_keys(on: bool):
    """Switch SQLite's foreign keys, which only works between transactions."""
    with op.get_context().autocommit_block():
        raw = op.get_bind().connection.dbapi_connection
        raw.execute("COMMIT")  # the portal's begin listener opened one even here (BEGIN IMMEDIATE)
        raw.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")


def _rebuild(change):
    """Run a batch change of score_event.

    SQLite rebuilds the table (copy, drop, rename): with foreign keys on, dropping a table other rows
    refer to (findings, rating cases, reversals) fails, so they are off while it runs and checked after.
    """
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        _foreign_keys(False)
    try:
        with op.batch_alter_table("score_event") as batch:
            change(batch)
        if sqlite and op.get_bind().exec_driver_sql("PRAGMA foreign_key_check").first():
            raise RuntimeError("score_event rebuild left rows referring to missing ones")
    finally:
        if sqlite:
            _foreign_keys(True)


def upgrade():
    def change(batch):
        batch.add_column(sa.Column("charge_no", sa.Integer(), nullable=False, server_default=sa.text("1")))
        batch.add_column(sa.Column("releases_key", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.drop_constraint("uq_score_event_dedupe_key", type_="unique")
        batch.create_unique_constraint("uq_score_event_dedupe_key_charge_no", ["dedupe_key", "charge_no"])
    _rebuild(change)


def downgrade():
    def change(batch):
        batch.drop_constraint("uq_score_event_dedupe_key_charge_no", type_="unique")
        batch.create_unique_constraint("uq_score_event_dedupe_key", ["dedupe_key"])
        batch.drop_column("releases_key")
        batch.drop_column("charge_no")
    _rebuild(change)
