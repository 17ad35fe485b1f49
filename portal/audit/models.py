"""The audit record: append-only and hash-chained."""
from datetime import datetime

from sqlalchemy import DDL, Index, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..models import PkMixin, UTCDateTime


class AuditEvent(PkMixin, db.Model):
    """One thing that happened: who, when, from where, to what, with what result."""

    __tablename__ = "audit_event"
    __audit__ = False
    __table_args__ = (Index("ix_audit_event_at", "at"), Index("ix_audit_event_user", "user_id"))

    at: Mapped[datetime] = mapped_column(UTCDateTime)
    user_id: Mapped[int | None]
    user_login: Mapped[str] = mapped_column(String(80), default="")
    ip: Mapped[str] = mapped_column(String(64), default="")
    event: Mapped[str] = mapped_column(String(64))
    object_type: Mapped[str] = mapped_column(String(64), default="")
    object_id: Mapped[str] = mapped_column(String(64), default="")
    result: Mapped[str] = mapped_column(String(16), default="ok")
    detail: Mapped[str] = mapped_column(Text, default="{}")
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    RESULT_LABELS = {"ok": "成功", "denied": "拒绝", "failed": "失败"}


# The Cybersecurity Law keeps logs at least six months: the database itself refuses to change any
# audit row, and deletes only rows older than the rulebook's retention (never under the legal minimum),
# and on PostgreSQL only from the purge command.
LEGAL_RETENTION_DAYS = 180
RETENTION_KEY = "security.audit_retention_days"
PURGE_FLAG = "halldesk.audit_purge"

# The retention in force: the rulebook's value (a row of rule_setting), never under the legal minimum.
PG_KEEP_DAYS = (f"GREATEST({LEGAL_RETENTION_DAYS}, COALESCE((SELECT value::integer FROM rule_setting "
                f"WHERE key = '{RETENTION_KEY}' AND value ~ '^[0-9]{{1,6}}$'), {LEGAL_RETENTION_DAYS}))")
SQLITE_KEEP_DAYS = (f"max({LEGAL_RETENTION_DAYS}, coalesce((SELECT CAST(value AS INTEGER) FROM rule_setting "
                    f"WHERE key = '{RETENTION_KEY}' AND value GLOB '[0-9]*'), {LEGAL_RETENTION_DAYS}))")

PG_APPEND_ONLY = [
    f"""CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND current_setting('{PURGE_FLAG}', true) = 'on'
     AND OLD.at < (now() AT TIME ZONE 'UTC') - make_interval(days => {PG_KEEP_DAYS}) THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION USING MESSAGE = 'audit_event is append-only: ' || TG_OP || ' refused';
END $$""",
    "DROP TRIGGER IF EXISTS audit_event_append_only ON audit_event",
    "CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event "
    "FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()",
]
SQLITE_NO_DELETE = (
    "CREATE TRIGGER IF NOT EXISTS audit_event_no_delete BEFORE DELETE ON audit_event "
    f"WHEN OLD.at >= datetime('now', '-' || {SQLITE_KEEP_DAYS} || ' days') "
    "BEGIN SELECT RAISE(ABORT, 'audit_event is append-only: DELETE refused'); END")
SQLITE_APPEND_ONLY = [
    "CREATE TRIGGER IF NOT EXISTS audit_event_no_update BEFORE UPDATE ON audit_event "
    "BEGIN SELECT RAISE(ABORT, 'audit_event is append-only: UPDATE refused'); END",
    SQLITE_NO_DELETE,
]

for _sql in PG_APPEND_ONLY:
    event.listen(AuditEvent.__table__, "after_create", DDL(_sql).execute_if(dialect="postgresql"))
for _sql in SQLITE_APPEND_ONLY:
    event.listen(AuditEvent.__table__, "after_create", DDL(_sql).execute_if(dialect="sqlite"))
