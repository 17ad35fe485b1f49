"""station star ratings (便民服务站星级评定) and their findings

Revision ID: f2b3c4d5e6a7
Revises: f1a2c3d4e5b6
Create Date: 2026-12-01 10:20:00

"""
import sqlalchemy as sa
from alembic import op

from portal.models import UTCDateTime

# revision identifiers, used by Alembic.
revision = 'f2b3c4d5e6a7'
down_revision = 'f1a2c3d4e5b6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "station_rating",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("hall_id", sa.Integer(), sa.ForeignKey("hall.id"), nullable=False),
        sa.Column("county_hall_id", sa.Integer(), sa.ForeignKey("hall.id"), nullable=False),
        sa.Column("by_id", sa.Integer(), sa.ForeignKey("user.id"), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("full_centi", sa.Integer(), nullable=False),
        sa.Column("score_centi", sa.Integer(), nullable=False),
        sa.Column("stars", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False))
    op.create_index("ix_station_rating_hall_id", "station_rating", ["hall_id"])
    op.create_index("ix_station_rating_day", "station_rating", ["day"])
    op.create_table(
        "station_rating_finding",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("rating_id", sa.Integer(), sa.ForeignKey("station_rating.id"), nullable=False),
        sa.Column("item", sa.String(40), nullable=False),
        sa.Column("section", sa.String(16), nullable=False),
        sa.Column("label", sa.String(80), nullable=False),
        sa.Column("severity", sa.String(12), nullable=False),
        sa.Column("centi", sa.Integer(), nullable=False),
        sa.Column("note", sa.String(200), nullable=False))
    op.create_index("ix_station_rating_finding_rating_id", "station_rating_finding", ["rating_id"])


def downgrade():
    op.drop_table("station_rating_finding")
    op.drop_table("station_rating")
