"""the punch index by device user carries the day

Revision ID: c5962da4ef6d
Revises: 5d1f51c68b0b
Create Date: 2026-12-01 12:15:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'c5962da4ef6d'
down_revision = '5d1f51c68b0b'
branch_labels = None
depends_on = None


def upgrade():
    # A person's month becomes a range of this index, not all their years of punches.
    with op.batch_alter_table('attendance_punch', schema=None) as batch_op:
        batch_op.drop_index('ix_attendance_punch_device_user')
        batch_op.create_index('ix_attendance_punch_device_user', ['hall_id', 'source', 'device_user_id', 'day'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('attendance_punch', schema=None) as batch_op:
        batch_op.drop_index('ix_attendance_punch_device_user')
        batch_op.create_index('ix_attendance_punch_device_user', ['hall_id', 'source', 'device_user_id'],
                              unique=False)
