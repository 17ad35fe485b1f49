"""security: the audit log is append-only in the database itself

Revision ID: 5ec0a4d17b3e
Revises: e8593951a4a4
Create Date: 2026-11-23 10:50:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '5ec0a4d17b3e'
down_revision = 'e8593951a4a4'
branch_labels = None
depends_on = None

# A snapshot of portal.audit.models.PG_APPEND_ONLY / SQLITE_APPEND_ONLY as of this revision.
PG_UP = [
    """CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND current_setting('halldesk.audit_purge', true) = 'on'
     AND OLD.at < (now() AT TIME ZONE 'UTC') - interval '180 days' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION USING MESSAGE = 'audit_event is append-only: ' || TG_OP || ' refused';
END $$""",
    "DROP TRIGGER IF EXISTS audit_event_append_only ON audit_event",
    "CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event "
    "FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()",
]
PG_DOWN = ["DROP TRIGGER IF EXISTS audit_event_append_only ON audit_event",
           "DROP FUNCTION IF EXISTS audit_event_append_only()"]
SQLITE_UP = [
    "CREATE TRIGGER IF NOT EXISTS audit_event_no_update BEFORE UPDATE ON audit_event "
    "BEGIN SELECT RAISE(ABORT, 'audit_event is append-only: UPDATE refused'); END",
    "CREATE TRIGGER IF NOT EXISTS audit_event_no_delete BEFORE DELETE ON audit_event "
    "WHEN OLD.at >= datetime('now', '-180 days') "
    "BEGIN SELECT RAISE(ABORT, 'audit_event is append-only: DELETE refused'); END",
]
SQLITE_DOWN = ["DROP TRIGGER IF EXISTS audit_event_no_update", "DROP TRIGGER IF EXISTS audit_event_no_delete"]


def _run(statements):
    for sql in statements:
        op.execute(sql)


def upgrade():
    _run(PG_UP if op.get_bind().dialect.name == "postgresql" else SQLITE_UP)


def downgrade():
    _run(PG_DOWN if op.get_bind().dialect.name == "postgresql" else SQLITE_DOWN)
