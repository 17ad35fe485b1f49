"""the notice board finds live notices among the unexpired ones

Revision ID: f888fbb4d17c
Revises: 4801fbe9414a
Create Date: 2026-12-01 15:40:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'f888fbb4d17c'
down_revision = '4801fbe9414a'
branch_labels = None
depends_on = None


def upgrade():
    # The board reads the notices with no expiry and those not yet expired as two ranges of this index,
    # instead of every published notice of the hall's years (its cost stays flat with history).
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.create_index('ix_notice_live', ['hall_id', 'state', 'expires_at', 'publish_at'], unique=False)


def downgrade():
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.drop_index('ix_notice_live')
