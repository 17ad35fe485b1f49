"""duty short leave closed_at: an unreturned slip is closed as overrun at day end

Revision ID: b84d2f6e1c37
Revises: a3c71e5d9b20
Create Date: 2026-12-01 09:00:00

"""
import sqlalchemy as sa
from alembic import op

from portal.models import UTCDateTime

# revision identifiers, used by Alembic.
revision = 'b84d2f6e1c37'
down_revision = 'a3c71e5d9b20'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('duty_short_leave', schema=None) as batch_op:
        batch_op.add_column(sa.Column('closed_at', UTCDateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('duty_short_leave', schema=None) as batch_op:
        batch_op.drop_column('closed_at')
