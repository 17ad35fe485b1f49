"""uploads in the database: the bytes of each stored file, where the storage setting keeps them there

Revision ID: f4d5e6a7b8c9
Revises: f3c4d5e6a7b8
Create Date: 2026-12-01 10:40:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'f4d5e6a7b8c9'
down_revision = 'f3c4d5e6a7b8'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "stored_blob",
        sa.Column("file_id", sa.Integer(), sa.ForeignKey("stored_file.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("data", sa.LargeBinary(), nullable=False))


def downgrade():
    op.drop_table("stored_blob")
