"""duty override supersedes: a second approved 替岗 of the same duty names the one it replaced

Revision ID: a3c71e5d9b20
Revises: b7d3f19c2e58
Create Date: 2026-12-01 08:40:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'a3c71e5d9b20'
down_revision = 'b7d3f19c2e58'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('duty_override', schema=None) as batch_op:
        batch_op.add_column(sa.Column('supersedes_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_duty_override_supersedes_id_duty_override'), 'duty_override',
                                    ['supersedes_id'], ['id'])


def downgrade():
    with op.batch_alter_table('duty_override', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_duty_override_supersedes_id_duty_override'), type_='foreignkey')
        batch_op.drop_column('supersedes_id')
