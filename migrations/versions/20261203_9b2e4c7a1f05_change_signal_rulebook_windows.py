"""the rulebook's tables, the hall tree and the windows announce their changes too

Revision ID: 9b2e4c7a1f05
Revises: 7d41c0e9b3a6
Create Date: 2026-12-03 15:00:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '9b2e4c7a1f05'
down_revision = '7d41c0e9b3a6'
branch_labels = None
depends_on = None

# As portal/signals.py sets them up with create_all (a migration keeps its own copy of what it did); the
# function halldesk_announce() and the change_signal table came with 7d41c0e9b3a6.
TABLES = ("rule_setting", "hall_rule_setting", "rule_overridable", "hall", "window")
OPS = ("INSERT", "UPDATE", "DELETE")


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        for table in TABLES:
            op.execute(f'CREATE OR REPLACE TRIGGER halldesk_announce AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE '
                       f'ON "{table}" FOR EACH STATEMENT EXECUTE FUNCTION halldesk_announce()')
        return
    rows = ", ".join(f"('{t}', 0)" for t in TABLES)
    op.execute(f"INSERT OR IGNORE INTO change_signal (name, generation) VALUES {rows}")
    for table in TABLES:
        for what in OPS:
            op.execute(f'CREATE TRIGGER IF NOT EXISTS halldesk_{table}_{what.lower()} AFTER {what} ON "{table}" '
                       f"BEGIN UPDATE change_signal SET generation = generation + 1 WHERE name = '{table}'; END")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for table in TABLES:
            op.execute(f'DROP TRIGGER IF EXISTS halldesk_announce ON "{table}"')
        return
    for table in TABLES:
        for what in OPS:
            op.execute(f"DROP TRIGGER IF EXISTS halldesk_{table}_{what.lower()}")
    op.execute("DELETE FROM change_signal WHERE name IN (" + ", ".join(f"'{t}'" for t in TABLES) + ")")
