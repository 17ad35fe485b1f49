"""background jobs: state and result of work run by the worker, readable from every app server

Revision ID: a9e4b2c7d051
Revises: f4d5e6a7b8c9
Create Date: 2026-12-01 09:55:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'a9e4b2c7d051'
down_revision = 'f4d5e6a7b8c9'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "background_job",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("result", sa.LargeBinary(), nullable=True),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=True),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["owner_id"], ["user.id"], name="fk_background_job_owner_id_user"),
        sa.PrimaryKeyConstraint("id", name="pk_background_job"),
        sa.UniqueConstraint("token", name="uq_background_job_token"),
    )
    op.create_index("ix_background_job_state_id", "background_job", ["state", "id"])
    op.create_index("ix_background_job_created_at", "background_job", ["created_at"])


def downgrade():
    op.drop_index("ix_background_job_created_at", table_name="background_job")
    op.drop_index("ix_background_job_state_id", table_name="background_job")
    op.drop_table("background_job")
