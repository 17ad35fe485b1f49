"""security: the audit log's append-only trigger reads the rulebook's retention (never under 180 days)

Revision ID: b7d3f19c2e58
Revises: a1c4e7f20b36
Create Date: 2026-12-01 09:30:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'b7d3f19c2e58'
down_revision = 'a1c4e7f20b36'
branch_labels = None
depends_on = None

# A snapshot of portal.audit.models.PG_APPEND_ONLY[0] / SQLITE_NO_DELETE as of this revision.
PG_UP = """CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND current_setting('halldesk.audit_purge', true) = 'on'
     AND OLD.at < (now() AT TIME ZONE 'UTC') - make_interval(days => GREATEST(180, COALESCE(
       (SELECT value::integer FROM rule_setting
        WHERE key = 'security.audit_retention_days' AND value ~ '^[0-9]{1,6}$'), 180))) THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION USING MESSAGE = 'audit_event is append-only: ' || TG_OP || ' refused';
END $$"""
SQLITE_UP = ("CREATE TRIGGER IF NOT EXISTS audit_event_no_delete BEFORE DELETE ON audit_event "
             "WHEN OLD.at >= datetime('now', '-' || max(180, coalesce((SELECT CAST(value AS INTEGER) "
             "FROM rule_setting WHERE key = 'security.audit_retention_days' AND value GLOB '[0-9]*'), 180))"
             " || ' days') BEGIN SELECT RAISE(ABORT, 'audit_event is append-only: DELETE refused'); END")
# The previous revision's trigger (a literal 180 days).
PG_DOWN = """CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND current_setting('halldesk.audit_purge', true) = 'on'
     AND OLD.at < (now() AT TIME ZONE 'UTC') - interval '180 days' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION USING MESSAGE = 'audit_event is append-only: ' || TG_OP || ' refused';
END $$"""
SQLITE_DOWN = ("CREATE TRIGGER IF NOT EXISTS audit_event_no_delete BEFORE DELETE ON audit_event "
               "WHEN OLD.at >= datetime('now', '-180 days') "
               "BEGIN SELECT RAISE(ABORT, 'audit_event is append-only: DELETE refused'); END")


def _replace(pg: str, sqlite: str) -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(pg)
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_delete")
        op.execute(sqlite)


def upgrade():
    _replace(PG_UP, SQLITE_UP)


def downgrade():
    _replace(PG_DOWN, SQLITE_DOWN)
