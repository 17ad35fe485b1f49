"""sit-in register: a check-in recorded after the booked half day ended is marked as made late

Revision ID: b7d41e2a9c3f
Revises: b3f1c7a9e2d4
Create Date: 2026-12-01 09:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'b7d41e2a9c3f'
down_revision = 'b3f1c7a9e2d4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("sitin_visit") as batch:
        batch.add_column(sa.Column("checked_late", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade():
    with op.batch_alter_table("sitin_visit") as batch:
        batch.drop_column("checked_late")
