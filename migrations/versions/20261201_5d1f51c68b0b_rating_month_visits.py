"""rating month visits: the month's row also counts visits and unrated ones (for the 未评价视为满意 option)

The row is derived data: its old rows are dropped, and the next change of a hall's ratings recounts
that hall's month.

Revision ID: 5d1f51c68b0b
Revises: 213d059541c2
Create Date: 2026-12-01 12:15:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5d1f51c68b0b'
down_revision = '213d059541c2'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("DELETE FROM rating_month_figure")
    with op.batch_alter_table('rating_month_figure', schema=None) as batch_op:
        batch_op.add_column(sa.Column('visits', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('unrated', sa.Integer(), nullable=False, server_default='0'))


def downgrade():
    with op.batch_alter_table('rating_month_figure', schema=None) as batch_op:
        batch_op.drop_column('unrated')
        batch_op.drop_column('visits')
