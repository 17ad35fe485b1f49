"""attendance send-back flags and the center's decisions

Revision ID: b89684856f0a
Revises: 03ad0d335963
Create Date: 2026-12-01 11:55:00

"""
from alembic import op
import sqlalchemy as sa

import portal.models


# revision identifiers, used by Alembic.
revision = 'b89684856f0a'
down_revision = '03ad0d335963'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('attendance_sendback_flag',
    sa.Column('hall_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=16), nullable=False),
    sa.Column('flagged_on', sa.Date(), nullable=False),
    sa.Column('flagged_at', portal.models.UTCDateTime(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['hall_id'], ['hall.id'], name=op.f('fk_attendance_sendback_flag_hall_id_hall')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_attendance_sendback_flag_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attendance_sendback_flag')),
    sa.UniqueConstraint('hall_id', 'user_id', 'year', 'reason',
                        name=op.f('uq_attendance_sendback_flag_hall_id_user_id_year_reason'))
    )
    with op.batch_alter_table('attendance_sendback_flag', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attendance_sendback_flag_hall_id'), ['hall_id'], unique=False)
    op.create_table('attendance_sendback_decision',
    sa.Column('flag_id', sa.Integer(), nullable=False),
    sa.Column('decision', sa.String(length=16), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=False),
    sa.Column('by_id', sa.Integer(), nullable=False),
    sa.Column('at', portal.models.UTCDateTime(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['by_id'], ['user.id'], name=op.f('fk_attendance_sendback_decision_by_id_user')),
    sa.ForeignKeyConstraint(['flag_id'], ['attendance_sendback_flag.id'],
                            name=op.f('fk_attendance_sendback_decision_flag_id_attendance_sendback_flag')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attendance_sendback_decision')),
    sa.UniqueConstraint('flag_id', name=op.f('uq_attendance_sendback_decision_flag_id'))
    )


def downgrade():
    op.drop_table('attendance_sendback_decision')
    with op.batch_alter_table('attendance_sendback_flag', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attendance_sendback_flag_hall_id'))
    op.drop_table('attendance_sendback_flag')
