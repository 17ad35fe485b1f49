"""notice acknowledgement rounds: a change of substance to a must-read notice asks everyone again

Revision ID: e3c58a1f07b2
Revises: b7d41e2a9c3f
Create Date: 2026-12-01 09:30:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'e3c58a1f07b2'
down_revision = 'b7d41e2a9c3f'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("notice") as batch:
        batch.add_column(sa.Column("ack_round", sa.Integer(), nullable=False, server_default=sa.text("1")))
    with op.batch_alter_table("notice_read") as batch:
        batch.add_column(sa.Column("ack_round", sa.Integer(), nullable=False, server_default=sa.text("1")))
        batch.drop_constraint("uq_notice_read_notice_id_user_id", type_="unique")
        batch.create_unique_constraint("uq_notice_read_notice_id_user_id_ack_round",
                                       ["notice_id", "user_id", "ack_round"])


def downgrade():
    with op.batch_alter_table("notice_read") as batch:
        batch.drop_constraint("uq_notice_read_notice_id_user_id_ack_round", type_="unique")
        batch.create_unique_constraint("uq_notice_read_notice_id_user_id", ["notice_id", "user_id"])
        batch.drop_column("ack_round")
    with op.batch_alter_table("notice") as batch:
        batch.drop_column("ack_round")
