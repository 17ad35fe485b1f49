"""rulebook per hall: keys the county opens to stations, and the stations' own values

Revision ID: f1a2c3d4e5b6
Revises: c1a7e5d93b20
Create Date: 2026-12-01 10:10:00

"""
import sqlalchemy as sa
from alembic import op

from portal.models import UTCDateTime

# revision identifiers, used by Alembic.
revision = 'f1a2c3d4e5b6'
down_revision = 'c1a7e5d93b20'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "rule_overridable",
        sa.Column("key", sa.String(80), primary_key=True),
        sa.Column("marked_by_id", sa.Integer(), sa.ForeignKey("user.id"), nullable=True),
        sa.Column("marked_at", UTCDateTime(), nullable=False))
    op.create_table(
        "hall_rule_setting",
        sa.Column("hall_id", sa.Integer(), sa.ForeignKey("hall.id"), primary_key=True),
        sa.Column("key", sa.String(80), primary_key=True),
        sa.Column("value", sa.String(200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("changed_by_id", sa.Integer(), sa.ForeignKey("user.id"), nullable=True),
        sa.Column("changed_at", UTCDateTime(), nullable=False))
    with op.batch_alter_table("rule_change") as batch:
        batch.add_column(sa.Column("hall_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_rule_change_hall_id_hall", "hall", ["hall_id"], ["id"])


def downgrade():
    with op.batch_alter_table("rule_change") as batch:
        batch.drop_constraint("fk_rule_change_hall_id_hall", type_="foreignkey")
        batch.drop_column("hall_id")
    op.drop_table("hall_rule_setting")
    op.drop_table("rule_overridable")
