"""The inbox's own rows: the hall's inbox version, reminders given and daily digests sent."""
from datetime import date, datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..models import PkMixin, UTCDateTime

REMINDER_KINDS = {"due": "今天到期", "overdue": "已逾期"}


class InboxPulse(db.Model):
    """A counter moved on by every write an inbox source watches, so the top bar's poll is one query."""

    __tablename__ = "inbox_pulse"
    __audit__ = False

    hall_id: Mapped[int] = mapped_column(ForeignKey("hall.id"), primary_key=True)
    version: Mapped[int] = mapped_column(default=0)


class InboxReminder(PkMixin, db.Model):
    """A reminder (提醒) given to a person when an item came due or fell overdue; given once."""

    __tablename__ = "inbox_reminder"
    # Never twice for the same item and moment: the item's key, the kind and the deadline it is about.
    __table_args__ = (UniqueConstraint("user_id", "item_key", "kind", "deadline"),)

    hall_id: Mapped[int] = mapped_column(ForeignKey("hall.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    item_key: Mapped[str] = mapped_column(String(160))
    kind: Mapped[str] = mapped_column(String(12))  # due | overdue
    deadline: Mapped[datetime] = mapped_column(UTCDateTime)
    title: Mapped[str] = mapped_column(String(120))
    detail: Mapped[str] = mapped_column(String(200), default="")
    link: Mapped[str] = mapped_column(String(300))
    given_at: Mapped[datetime] = mapped_column(UTCDateTime)

    @property
    def kind_label(self) -> str:
        return REMINDER_KINDS.get(self.kind, self.kind)


class InboxDigest(PkMixin, db.Model):
    """One daily digest mail (每日待办汇总) sent to a person: at most one a day."""

    __tablename__ = "inbox_digest"
    __table_args__ = (UniqueConstraint("user_id", "day"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    day: Mapped[date]
    address: Mapped[str] = mapped_column(String(120))
    items: Mapped[int] = mapped_column(default=0)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime)
