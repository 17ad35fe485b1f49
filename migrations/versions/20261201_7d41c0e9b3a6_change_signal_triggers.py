"""the tables a signed-in request reads announce their changes (PostgreSQL NOTIFY; SQLite counts)

Revision ID: 7d41c0e9b3a6
Revises: 3c9e5a71d2b4
Create Date: 2026-12-01 18:30:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '7d41c0e9b3a6'
down_revision = '3c9e5a71d2b4'
branch_labels = None
depends_on = None

# As portal/signals.py sets them up with create_all (a migration keeps its own copy of what it did).
TABLES = ("user_session", "user", "user_role", "duty_pulse", "inbox_pulse")
FUNCTION = ("CREATE OR REPLACE FUNCTION halldesk_announce() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN PERFORM pg_notify('halldesk_changes', TG_TABLE_NAME); RETURN NULL; END $$")
OPS = ("INSERT", "UPDATE", "DELETE")


def upgrade():
    op.create_table('change_signal',
                    sa.Column('name', sa.String(length=40), nullable=False),
                    sa.Column('generation', sa.Integer(), nullable=False),
                    sa.PrimaryKeyConstraint('name', name=op.f('pk_change_signal')))
    if op.get_bind().dialect.name == "postgresql":
        op.execute(FUNCTION)
        for table in TABLES:
            op.execute(f'CREATE OR REPLACE TRIGGER halldesk_announce AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE '
                       f'ON "{table}" FOR EACH STATEMENT EXECUTE FUNCTION halldesk_announce()')
        return
    rows = ", ".join(f"('{t}', 0)" for t in TABLES)
    op.execute(f"INSERT INTO change_signal (name, generation) VALUES {rows}")
    for table in TABLES:
        for what in OPS:
            op.execute(f'CREATE TRIGGER halldesk_{table}_{what.lower()} AFTER {what} ON "{table}" '
                       f"BEGIN UPDATE change_signal SET generation = generation + 1 WHERE name = '{table}'; END")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for table in TABLES:
            op.execute(f'DROP TRIGGER IF EXISTS halldesk_announce ON "{table}"')
        op.execute("DROP FUNCTION IF EXISTS halldesk_announce()")
    else:
        for table in TABLES:
            for what in OPS:
                op.execute(f"DROP TRIGGER IF EXISTS halldesk_{table}_{what.lower()}")
    op.drop_table('change_signal')
