"""The audit record: append-only and hash-chained."""
from datetime import datetime

from sqlalchemy import Index, String, Text
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
