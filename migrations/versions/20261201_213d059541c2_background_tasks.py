"""background tasks beside PDFs: a job may have no owner (the worker's schedule) and names its hall

Revision ID: 213d059541c2
Revises: 100a3c77cd4f
Create Date: 2026-12-01 12:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '213d059541c2'
down_revision = '100a3c77cd4f'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("background_job") as batch:
        batch.alter_column("owner_id", existing_type=sa.Integer(), nullable=True)
        batch.add_column(sa.Column("hall_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_background_job_hall_id_hall", "hall", ["hall_id"], ["id"])


def downgrade():
    with op.batch_alter_table("background_job") as batch:
        batch.drop_constraint("fk_background_job_hall_id_hall", type_="foreignkey")
        batch.drop_column("hall_id")
        batch.alter_column("owner_id", existing_type=sa.Integer(), nullable=False)
