"""complaint steps by kind: the open-cases list counts each unit's returns from an index, not years of steps

Revision ID: 4801fbe9414a
Revises: db274108d4b1
Create Date: 2026-12-01 12:40:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '4801fbe9414a'
down_revision = 'db274108d4b1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_complaint_step_step_unit", "complaint_step", ["step", "unit_id"], unique=False)


def downgrade():
    op.drop_index("ix_complaint_step_step_unit", table_name="complaint_step")
