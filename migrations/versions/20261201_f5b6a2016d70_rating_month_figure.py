"""rating month figure: the hall's good and bad counts of the month, for the hall screen's good rate

Revision ID: f5b6a2016d70
Revises: d3e94bf7da0a
Create Date: 2026-12-01 12:10:00

"""
from alembic import op
import sqlalchemy as sa

import portal.models


# revision identifiers, used by Alembic.
revision = 'f5b6a2016d70'
down_revision = 'd3e94bf7da0a'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('rating_month_figure',
    sa.Column('hall_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('good', sa.Integer(), nullable=False),
    sa.Column('bad', sa.Integer(), nullable=False),
    sa.Column('counted_at', portal.models.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['hall_id'], ['hall.id'], name=op.f('fk_rating_month_figure_hall_id_hall')),
    sa.PrimaryKeyConstraint('hall_id', name=op.f('pk_rating_month_figure'))
    )


def downgrade():
    op.drop_table('rating_month_figure')
