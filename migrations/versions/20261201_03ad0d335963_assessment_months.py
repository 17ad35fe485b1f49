"""assessment months, sheets, lines and objections

Revision ID: 03ad0d335963
Revises: 7d9801f0183e
Create Date: 2026-12-01 12:05:00

"""
from alembic import op
import sqlalchemy as sa

import portal.models


revision = '03ad0d335963'
down_revision = '7d9801f0183e'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('assessment_month',
    sa.Column('hall_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('month', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('review_mark', sa.String(length=80), nullable=False),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
    sa.Column('reviewed_at', portal.models.UTCDateTime(), nullable=True),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.Column('published_at', portal.models.UTCDateTime(), nullable=True),
    sa.Column('objection_until', sa.Date(), nullable=True),
    sa.Column('notice_id', sa.Integer(), nullable=True),
    sa.Column('closed_by_id', sa.Integer(), nullable=True),
    sa.Column('closed_at', portal.models.UTCDateTime(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['hall_id'], ['hall.id'], name=op.f('fk_assessment_month_hall_id_hall')),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['user.id'], name=op.f('fk_assessment_month_reviewed_by_id_user')),
    sa.ForeignKeyConstraint(['published_by_id'], ['user.id'], name=op.f('fk_assessment_month_published_by_id_user')),
    sa.ForeignKeyConstraint(['notice_id'], ['notice.id'], name=op.f('fk_assessment_month_notice_id_notice')),
    sa.ForeignKeyConstraint(['closed_by_id'], ['user.id'], name=op.f('fk_assessment_month_closed_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessment_month')),
    sa.UniqueConstraint('hall_id', 'year', 'month', name=op.f('uq_assessment_month_hall_id_year_month'))
    )
    with op.batch_alter_table('assessment_month', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessment_month_hall_id'), ['hall_id'], unique=False)
    op.create_table('assessment_sheet',
    sa.Column('month_id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('base_centi', sa.Integer(), nullable=False),
    sa.Column('cap_centi', sa.Integer(), nullable=False),
    sa.Column('categories', sa.JSON(), nullable=False),
    sa.Column('bonus_centi', sa.Integer(), nullable=False),
    sa.Column('adjustment_centi', sa.Integer(), nullable=False),
    sa.Column('total_centi', sa.Integer(), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['month_id'], ['assessment_month.id'], name=op.f('fk_assessment_sheet_month_id_assessment_month')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_assessment_sheet_department_id_department')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_assessment_sheet_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessment_sheet')),
    sa.UniqueConstraint('month_id', 'department_id', 'user_id', name=op.f('uq_assessment_sheet_month_id_department_id_user_id'))
    )
    with op.batch_alter_table('assessment_sheet', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessment_sheet_month_id'), ['month_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assessment_sheet_department_id'), ['department_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assessment_sheet_user_id'), ['user_id'], unique=False)
    op.create_table('assessment_line',
    sa.Column('sheet_id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('category', sa.String(length=30), nullable=False),
    sa.Column('centipoints', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('rule', sa.String(length=120), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('evidence', sa.String(length=80), nullable=False),
    sa.Column('origin', sa.String(length=7), nullable=False),
    sa.Column('linked_user_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['sheet_id'], ['assessment_sheet.id'], name=op.f('fk_assessment_line_sheet_id_assessment_sheet')),
    sa.ForeignKeyConstraint(['event_id'], ['score_event.id'], name=op.f('fk_assessment_line_event_id_score_event')),
    sa.ForeignKeyConstraint(['linked_user_id'], ['user.id'], name=op.f('fk_assessment_line_linked_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessment_line'))
    )
    with op.batch_alter_table('assessment_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessment_line_sheet_id'), ['sheet_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assessment_line_event_id'), ['event_id'], unique=False)
    op.create_table('assessment_objection',
    sa.Column('month_id', sa.Integer(), nullable=False),
    sa.Column('line_id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('raised_by_id', sa.Integer(), nullable=False),
    sa.Column('raised_at', portal.models.UTCDateTime(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('ruled_by_id', sa.Integer(), nullable=True),
    sa.Column('ruled_at', portal.models.UTCDateTime(), nullable=True),
    sa.Column('ruling_note', sa.Text(), nullable=False),
    sa.Column('reversal_event_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['month_id'], ['assessment_month.id'], name=op.f('fk_assessment_objection_month_id_assessment_month')),
    sa.ForeignKeyConstraint(['line_id'], ['assessment_line.id'], name=op.f('fk_assessment_objection_line_id_assessment_line')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_assessment_objection_department_id_department')),
    sa.ForeignKeyConstraint(['raised_by_id'], ['user.id'], name=op.f('fk_assessment_objection_raised_by_id_user')),
    sa.ForeignKeyConstraint(['ruled_by_id'], ['user.id'], name=op.f('fk_assessment_objection_ruled_by_id_user')),
    sa.ForeignKeyConstraint(['reversal_event_id'], ['score_event.id'], name=op.f('fk_assessment_objection_reversal_event_id_score_event')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessment_objection'))
    )
    with op.batch_alter_table('assessment_objection', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessment_objection_month_id'), ['month_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assessment_objection_line_id'), ['line_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assessment_objection_department_id'), ['department_id'], unique=False)


def downgrade():
    op.drop_table('assessment_objection')
    op.drop_table('assessment_line')
    op.drop_table('assessment_sheet')
    op.drop_table('assessment_month')
