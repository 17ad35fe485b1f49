"""one-time submission keys: a create form sent twice creates its record once

Revision ID: a1c4e7f20b36
Revises: d7e2b9a41c55
Create Date: 2026-12-01 09:00:00

"""
import sqlalchemy as sa
from alembic import op

from portal.models import UTCDateTime

# revision identifiers, used by Alembic.
revision = 'a1c4e7f20b36'
down_revision = 'd7e2b9a41c55'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "submission_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("endpoint", sa.String(length=100), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("status", sa.Integer(), nullable=True),
        sa.Column("headers", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
    )
    op.create_index("ix_submission_key_created", "submission_key", ["created_at"])


def downgrade():
    op.drop_index("ix_submission_key_created", table_name="submission_key")
    op.drop_table("submission_key")
