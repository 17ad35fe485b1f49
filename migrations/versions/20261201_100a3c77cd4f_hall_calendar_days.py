"""a station's own calendar days (本站闭厅 / 本站加班开厅) over the county's working-day calendar

Revision ID: 100a3c77cd4f
Revises: f5b6a2016d70
Create Date: 2026-12-01 11:45:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '100a3c77cd4f'
down_revision = 'f5b6a2016d70'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "hall_calendar_day",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("hall_id", sa.Integer(), sa.ForeignKey("hall.id"), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("name", sa.String(60), nullable=False),
        sa.Column("source", sa.String(32), nullable=False),
        sa.UniqueConstraint("hall_id", "day"))


def downgrade():
    op.drop_table("hall_calendar_day")
