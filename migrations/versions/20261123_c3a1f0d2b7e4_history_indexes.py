"""indexes that keep hot pages flat as history grows: a round's visits by window, a hall's open log items

Revision ID: c3a1f0d2b7e4
Revises: afbfeada16fa
Create Date: 2026-11-23 12:45:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c3a1f0d2b7e4'
down_revision = 'afbfeada16fa'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_patrol_visit_round_window", "patrol_visit", ["round_id", "window_id"])
    op.create_index("ix_duty_log_item_hall_state", "duty_log_item", ["hall_id", "state"])


def downgrade():
    op.drop_index("ix_duty_log_item_hall_state", table_name="duty_log_item")
    op.drop_index("ix_patrol_visit_round_window", table_name="patrol_visit")
