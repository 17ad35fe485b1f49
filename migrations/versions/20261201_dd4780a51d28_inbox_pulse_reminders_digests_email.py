"""the to-do inbox: its version per hall, reminders given, daily digests sent, and people's email

Revision ID: dd4780a51d28
Revises: 5b1e7c9d2a40
Create Date: 2026-12-01 09:00:00

"""
import sqlalchemy as sa
from alembic import op

from portal.models import UTCDateTime

# revision identifiers, used by Alembic.
revision = 'dd4780a51d28'
down_revision = '5b1e7c9d2a40'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "inbox_pulse",
        sa.Column("hall_id", sa.Integer(), sa.ForeignKey("hall.id"), primary_key=True),
        sa.Column("version", sa.Integer(), nullable=False))
    op.create_table(
        "inbox_reminder",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("hall_id", sa.Integer(), sa.ForeignKey("hall.id"), nullable=False),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("user.id"), nullable=False),
        sa.Column("item_key", sa.String(160), nullable=False),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("deadline", UTCDateTime(), nullable=False),
        sa.Column("title", sa.String(120), nullable=False),
        sa.Column("detail", sa.String(200), nullable=False),
        sa.Column("link", sa.String(300), nullable=False),
        sa.Column("given_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("user_id", "item_key", "kind", "deadline"))
    op.create_index("ix_inbox_reminder_hall_id", "inbox_reminder", ["hall_id"])
    op.create_index("ix_inbox_reminder_user_id", "inbox_reminder", ["user_id"])
    op.create_table(
        "inbox_digest",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("user.id"), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("address", sa.String(120), nullable=False),
        sa.Column("items", sa.Integer(), nullable=False),
        sa.Column("sent_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("user_id", "day"))
    op.create_index("ix_inbox_digest_user_id", "inbox_digest", ["user_id"])
    with op.batch_alter_table("user") as batch:
        batch.add_column(sa.Column("email", sa.String(120), nullable=False, server_default=""))


def downgrade():
    with op.batch_alter_table("user") as batch:
        batch.drop_column("email")
    op.drop_index("ix_inbox_digest_user_id", table_name="inbox_digest")
    op.drop_table("inbox_digest")
    op.drop_index("ix_inbox_reminder_user_id", table_name="inbox_reminder")
    op.drop_index("ix_inbox_reminder_hall_id", table_name="inbox_reminder")
    op.drop_table("inbox_reminder")
    op.drop_table("inbox_pulse")
