"""rating praise: 表扬信、锦旗、媒体表扬 recorded with evidence, their bonus on the ledger

Revision ID: d3e94bf7da0a
Revises: 31b85def0166
Create Date: 2026-12-01 12:00:00

"""
from alembic import op
import sqlalchemy as sa

import portal.models


# revision identifiers, used by Alembic.
revision = 'd3e94bf7da0a'
down_revision = '31b85def0166'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('rating_praise',
    sa.Column('hall_id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('source', sa.String(length=100), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', portal.models.UTCDateTime(), nullable=False),
    sa.Column('unit_event_id', sa.Integer(), nullable=True),
    sa.Column('staff_event_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_rating_praise_department_id_department')),
    sa.ForeignKeyConstraint(['hall_id'], ['hall.id'], name=op.f('fk_rating_praise_hall_id_hall')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_rating_praise_recorded_by_id_user')),
    sa.ForeignKeyConstraint(['staff_event_id'], ['score_event.id'],
                            name=op.f('fk_rating_praise_staff_event_id_score_event')),
    sa.ForeignKeyConstraint(['staff_id'], ['user.id'], name=op.f('fk_rating_praise_staff_id_user')),
    sa.ForeignKeyConstraint(['unit_event_id'], ['score_event.id'],
                            name=op.f('fk_rating_praise_unit_event_id_score_event')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rating_praise'))
    )
    with op.batch_alter_table('rating_praise', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rating_praise_department_id'), ['department_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_rating_praise_hall_id'), ['hall_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_rating_praise_staff_id'), ['staff_id'], unique=False)


def downgrade():
    op.drop_table('rating_praise')
