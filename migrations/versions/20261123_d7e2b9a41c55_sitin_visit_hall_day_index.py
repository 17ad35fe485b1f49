"""sit-in register by hall and day: the hall screen and the desk read today's rows, not the hall's history

Revision ID: d7e2b9a41c55
Revises: c3a1f0d2b7e4
Create Date: 2026-11-23 15:30:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'd7e2b9a41c55'
down_revision = 'c3a1f0d2b7e4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_sitin_visit_hall_day", "sitin_visit", ["hall_id", "day"])


def downgrade():
    op.drop_index("ix_sitin_visit_hall_day", table_name="sitin_visit")
