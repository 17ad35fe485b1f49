"""Leader sit-in (领导坐班): bookings per half day and the day's register."""
from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models import TimestampMixin, UTCDateTime

HALVES = {"am": "上午", "pm": "下午"}
ACTIVE = "active"
CANCELLED = "cancelled"
_ACTIVE_ONLY = text("state = 'active'")


class SitInBooking(TimestampMixin, db.Model):
    """One half day a department's leader books to sit in (a full day is two rows)."""

    __tablename__ = "sitin_booking"
    __table_args__ = (
        # No over-booking: each desk of a half day holds one active booking.
        Index("uq_sitin_booking_desk", "hall_id", "day", "half", "desk_no", unique=True,
              sqlite_where=_ACTIVE_ONLY, postgresql_where=_ACTIVE_ONLY),
        # A double submission books once: one active booking per department and half day.
        Index("uq_sitin_booking_department_slot", "department_id", "day", "half", unique=True,
              sqlite_where=_ACTIVE_ONLY, postgresql_where=_ACTIVE_ONLY),
    )

    hall_id: Mapped[int] = mapped_column(ForeignKey("hall.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"), index=True)
    leader_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    booked_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    day: Mapped[date] = mapped_column(index=True)
    half: Mapped[str] = mapped_column(String(2))
    desk_no: Mapped[int]
    full_day: Mapped[bool] = mapped_column(default=False)
    state: Mapped[str] = mapped_column(String(12), default=ACTIVE)
    filed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    filed_late: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str] = mapped_column(String(200), default="")
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    cancel_reason: Mapped[str] = mapped_column(String(200), default="")
    cancelled_late: Mapped[bool] = mapped_column(default=False)

    department = relationship("Department")
    leader = relationship("User", foreign_keys=[leader_id])
    booked_by = relationship("User", foreign_keys=[booked_by_id])
    cancelled_by = relationship("User", foreign_keys=[cancelled_by_id])

    @property
    def active(self) -> bool:
        return self.state == ACTIVE

    @property
    def half_label(self) -> str:
        return HALVES.get(self.half, self.half)


class SitInVisit(TimestampMixin, db.Model):
    """The register of one department's sit-in day (坐班登记): arrival and the leader's note."""

    __tablename__ = "sitin_visit"
    # Today's rows of a hall (the hall screen, the desk) without reading the hall's years of register.
    __table_args__ = (UniqueConstraint("department_id", "day"),
                      Index("ix_sitin_visit_hall_day", "hall_id", "day"))

    hall_id: Mapped[int] = mapped_column(ForeignKey("hall.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"))
    day: Mapped[date] = mapped_column(index=True)
    attendance: Mapped[str] = mapped_column(String(12))  # arrived | absent
    arrived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    checked_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    checked_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Recorded after the booked half day(s) had ended (补登): the time is the desk's, not the arrival's.
    checked_late: Mapped[bool] = mapped_column(default=False, server_default=false())
    looked_at: Mapped[str] = mapped_column(Text, default="")
    solved: Mapped[str] = mapped_column(Text, default="")
    proposed: Mapped[str] = mapped_column(Text, default="")
    noted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    noted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    department = relationship("Department")
    checked_by = relationship("User", foreign_keys=[checked_by_id])

    @property
    def has_note(self) -> bool:
        return self.noted_at is not None
