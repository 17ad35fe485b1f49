"""document numbers (发文字号): a per-hall yearly series and the numbers it issued

Revision ID: 5b1e7c9d2a40
Revises: e3c58a1f07b2
Create Date: 2026-12-01 09:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '5b1e7c9d2a40'
down_revision = 'e3c58a1f07b2'
branch_labels = None
depends_on = None


def _stamps():
    return [sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("created_at", sa.DateTime(), nullable=False),
            sa.Column("updated_at", sa.DateTime(), nullable=False)]


def upgrade():
    op.create_table(
        "document_series",
        sa.Column("hall_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("prefix", sa.String(length=20), nullable=False),
        sa.Column("issuer", sa.String(length=80), nullable=False),
        sa.Column("next_number", sa.Integer(), nullable=False),
        *_stamps(),
        sa.ForeignKeyConstraint(["hall_id"], ["hall.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("hall_id", "year", name="uq_document_series_hall_year"),
    )
    op.create_table(
        "issued_document",
        sa.Column("hall_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("prefix", sa.String(length=20), nullable=False),
        sa.Column("issuer", sa.String(length=80), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        sa.Column("issued_by_id", sa.Integer(), nullable=True),
        sa.Column("notice_id", sa.Integer(), nullable=True),
        *_stamps(),
        sa.ForeignKeyConstraint(["hall_id"], ["hall.id"]),
        sa.ForeignKeyConstraint(["issued_by_id"], ["user.id"]),
        sa.ForeignKeyConstraint(["notice_id"], ["notice.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("hall_id", "year", "number", name="uq_issued_document_number"),
    )
    op.create_index("ix_issued_document_notice_id", "issued_document", ["notice_id"])


def downgrade():
    op.drop_index("ix_issued_document_notice_id", table_name="issued_document")
    op.drop_table("issued_document")
    op.drop_table("document_series")
