"""Cases from the approval system's exports (办件), and the duty leader's reminders to windows."""
from datetime import date, datetime

from sqlalchemy import DateTime, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models import PkMixin, UTCDateTime


class CaseReport(PkMixin, db.Model):
    """One state of a case (办件) as an export reported it; the case is its latest report.

    A later export that changes a case adds a report (the key holds a digest of the state), so
    reversing that import brings the earlier state back. Times are the hall's wall clock, naive.
    """

    __tablename__ = "case_report"
    __audit__ = False  # imported by the thousand; the import record and its audit event stand for them
    __table_args__ = (UniqueConstraint("hall_id", "key"), Index("ix_case_report_number", "hall_id", "number"),
                      Index("ix_case_report_accepted", "hall_id", "accepted_at"))

    hall_id: Mapped[int] = mapped_column(ForeignKey("hall.id"))
    import_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"), index=True)
    key: Mapped[str] = mapped_column(String(120))
    number: Mapped[str] = mapped_column(String(60))
    item_name: Mapped[str] = mapped_column(String(120), default="")
    item_code: Mapped[str] = mapped_column(String(60), default="")
    accepted_at: Mapped[datetime] = mapped_column(DateTime)
    legal_days: Mapped[int | None]
    promised_days: Mapped[int]
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    pause_from: Mapped[date | None]
    pause_to: Mapped[date | None]
    window_id: Mapped[int] = mapped_column(ForeignKey("window.id"), index=True)
    clerk_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    clerk_name: Mapped[str] = mapped_column(String(40), default="")

    window = relationship("Window")
    clerk = relationship("User")


class CaseReminder(PkMixin, db.Model):
    """The duty leader's reminder to a window about its cases due or overdue (提醒): who, whom, when."""

    __tablename__ = "case_reminder"

    hall_id: Mapped[int] = mapped_column(ForeignKey("hall.id"), index=True)
    window_id: Mapped[int] = mapped_column(ForeignKey("window.id"), index=True)
    numbers: Mapped[str] = mapped_column(Text, default="")  # the cases named, comma-separated
    note: Mapped[str] = mapped_column(String(200), default="")
    reminded_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    reminded_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)

    window = relationship("Window")
    reminded_by = relationship("User")
