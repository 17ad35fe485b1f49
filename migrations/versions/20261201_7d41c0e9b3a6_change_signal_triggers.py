"""PostgreSQL: the tables a signed-in poll reads announce their changes (LISTEN/NOTIFY)

Revision ID: 7d41c0e9b3a6
Revises: 3c9e5a71d2b4
Create Date: 2026-12-01 18:30:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '7d41c0e9b3a6'
down_revision = '3c9e5a71d2b4'
branch_labels = None
depends_on = None

# As portal/signals.py creates them with the tables (a migration keeps its own copy of what it did).
TABLES = ("user_session", "user", "user_role", "duty_pulse", "inbox_pulse")
FUNCTION = ("CREATE OR REPLACE FUNCTION halldesk_announce() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN PERFORM pg_notify('halldesk_changes', TG_TABLE_NAME); RETURN NULL; END $$")


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return  # SQLite is one machine: its polls read the database each time
    op.execute(FUNCTION)
    for table in TABLES:
        op.execute(f'CREATE TRIGGER halldesk_announce AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "{table}" '
                   "FOR EACH STATEMENT EXECUTE FUNCTION halldesk_announce()")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TABLES:
        op.execute(f'DROP TRIGGER IF EXISTS halldesk_announce ON "{table}"')
    op.execute("DROP FUNCTION IF EXISTS halldesk_announce()")
