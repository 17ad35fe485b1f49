"""rating tap count: the evaluators' flood limit, shared by every app server

Revision ID: fd762b002512
Revises: b89684856f0a
Create Date: 2026-12-01 11:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'fd762b002512'
down_revision = 'b89684856f0a'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('rating_tap_count',
    sa.Column('evaluator_id', sa.Integer(), nullable=False),
    sa.Column('minute', sa.Integer(), nullable=False),
    sa.Column('taps', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['evaluator_id'], ['rating_evaluator.id'],
                            name=op.f('fk_rating_tap_count_evaluator_id_rating_evaluator')),
    sa.PrimaryKeyConstraint('evaluator_id', name=op.f('pk_rating_tap_count'))
    )


def downgrade():
    op.drop_table('rating_tap_count')
