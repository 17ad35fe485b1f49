"""patrol findings: the unit that answers for each on the day, its ledger events, and voids of whole findings

Revision ID: b3f1c7a9e2d4
Revises: c5e9a0b7d412
Create Date: 2026-12-01 09:00:00

"""
import sqlalchemy as sa
from alembic import op

import portal.models

# revision identifiers, used by Alembic.
revision = 'b3f1c7a9e2d4'
down_revision = 'c5e9a0b7d412'
branch_labels = None
depends_on = None

# Findings made before this revision: their events are found by the visit's evidence, the rule and the subject.
_EVENT = ("(SELECT MIN(e.id) FROM score_event e WHERE e.reverses_id IS NULL "
          "AND e.evidence = 'patrol_visit:' || CAST(patrol_finding.visit_id AS VARCHAR(20)) "
          "AND e.rule = '巡查：' || patrol_finding.label AND {subject})")
BACKFILL = [
    "UPDATE patrol_finding SET person_event_id = "
    + _EVENT.format(subject="e.subject_user_id = patrol_finding.person_id") + " WHERE person_id IS NOT NULL",
    "UPDATE patrol_finding SET unit_event_id = "
    + _EVENT.format(subject="e.subject_user_id IS NULL") + " WHERE unit_centi > 0",
    "UPDATE patrol_finding SET department_id = COALESCE("
    "(SELECT e.department_id FROM score_event e WHERE e.id = patrol_finding.person_event_id), "
    "(SELECT v.department_id FROM patrol_visit v WHERE v.id = patrol_finding.visit_id))",
]


def upgrade():
    with op.batch_alter_table('patrol_finding', schema=None) as batch_op:
        batch_op.add_column(sa.Column('department_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('person_event_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('unit_event_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_patrol_finding_department_id_department'),
                                    'department', ['department_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_patrol_finding_person_event_id_score_event'),
                                    'score_event', ['person_event_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_patrol_finding_unit_event_id_score_event'),
                                    'score_event', ['unit_event_id'], ['id'])
    for sql in BACKFILL:
        op.execute(sql)
    op.create_table('patrol_finding_void',
                    sa.Column('finding_id', sa.Integer(), nullable=False),
                    sa.Column('reason', sa.Text(), nullable=False),
                    sa.Column('by_id', sa.Integer(), nullable=False),
                    sa.Column('at', portal.models.UTCDateTime(), nullable=False),
                    sa.Column('id', sa.Integer(), nullable=False),
                    sa.ForeignKeyConstraint(['by_id'], ['user.id'], name=op.f('fk_patrol_finding_void_by_id_user')),
                    sa.ForeignKeyConstraint(['finding_id'], ['patrol_finding.id'],
                                            name=op.f('fk_patrol_finding_void_finding_id_patrol_finding')),
                    sa.PrimaryKeyConstraint('id', name=op.f('pk_patrol_finding_void')),
                    sa.UniqueConstraint('finding_id', name=op.f('uq_patrol_finding_void_finding_id')))


def downgrade():
    op.drop_table('patrol_finding_void')
    with op.batch_alter_table('patrol_finding', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_patrol_finding_unit_event_id_score_event'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_patrol_finding_person_event_id_score_event'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_patrol_finding_department_id_department'), type_='foreignkey')
        batch_op.drop_column('unit_event_id')
        batch_op.drop_column('person_event_id')
        batch_op.drop_column('department_id')
