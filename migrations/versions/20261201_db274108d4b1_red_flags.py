"""red flags (流动红旗): the duty leaders' votes and the flags awarded for a month

Revision ID: db274108d4b1
Revises: c5962da4ef6d
Create Date: 2026-12-01 12:00:00

"""
import sqlalchemy as sa
from alembic import op

import portal.models

revision = 'db274108d4b1'
down_revision = 'c5962da4ef6d'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "red_flag_vote",
        sa.Column("hall_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("voter_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("cast_at", portal.models.UTCDateTime(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["hall_id"], ["hall.id"], name=op.f("fk_red_flag_vote_hall_id_hall")),
        sa.ForeignKeyConstraint(["voter_id"], ["user.id"], name=op.f("fk_red_flag_vote_voter_id_user")),
        sa.ForeignKeyConstraint(["department_id"], ["department.id"],
                                name=op.f("fk_red_flag_vote_department_id_department")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_red_flag_vote")),
        sa.UniqueConstraint("hall_id", "year", "month", "voter_id", "department_id",
                            name=op.f("uq_red_flag_vote_hall_id_year_month_voter_id_department_id")))
    with op.batch_alter_table("red_flag_vote", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_red_flag_vote_hall_id"), ["hall_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_red_flag_vote_voter_id"), ["voter_id"], unique=False)
    op.create_table(
        "red_flag_award",
        sa.Column("hall_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("place", sa.Integer(), nullable=False),
        sa.Column("score_centi", sa.Integer(), nullable=False),
        sa.Column("shared", sa.Boolean(), nullable=False),
        sa.Column("awarded_by_id", sa.Integer(), nullable=False),
        sa.Column("awarded_at", portal.models.UTCDateTime(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["hall_id"], ["hall.id"], name=op.f("fk_red_flag_award_hall_id_hall")),
        sa.ForeignKeyConstraint(["department_id"], ["department.id"],
                                name=op.f("fk_red_flag_award_department_id_department")),
        sa.ForeignKeyConstraint(["awarded_by_id"], ["user.id"], name=op.f("fk_red_flag_award_awarded_by_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_red_flag_award")),
        sa.UniqueConstraint("hall_id", "year", "month", "department_id",
                            name=op.f("uq_red_flag_award_hall_id_year_month_department_id")))
    with op.batch_alter_table("red_flag_award", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_red_flag_award_hall_id"), ["hall_id"], unique=False)


def downgrade():
    with op.batch_alter_table("red_flag_award", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_red_flag_award_hall_id"))
    op.drop_table("red_flag_award")
    with op.batch_alter_table("red_flag_vote", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_red_flag_vote_voter_id"))
        batch_op.drop_index(batch_op.f("ix_red_flag_vote_hall_id"))
    op.drop_table("red_flag_vote")
