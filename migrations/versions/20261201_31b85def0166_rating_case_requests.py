"""rating case requests: 延期, 综合协调 and 无法整改 wait for the center's approval

Revision ID: 31b85def0166
Revises: fd762b002512
Create Date: 2026-12-01 11:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '31b85def0166'
down_revision = 'fd762b002512'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('rating_case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pending', sa.String(length=12), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('unable', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade():
    with op.batch_alter_table('rating_case', schema=None) as batch_op:
        batch_op.drop_column('unable')
        batch_op.drop_column('pending')
