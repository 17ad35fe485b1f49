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


def _rebuild(change):
    """Run a batch change of score_event (SQLite rebuilds the table; migrations/env.py runs every
    migration with SQLite's foreign keys off and checks them at the end)."""
    with op.batch_alter_table("score_event") as batch:
        change(batch)


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
