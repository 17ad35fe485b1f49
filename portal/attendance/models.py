"""Punches from the hall's attendance devices and files, and device user ids mapped to people."""
from datetime import date, datetime

from sqlalchemy import DateTime, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models import PkMixin, UTCDateTime


class Punch(PkMixin, db.Model):
    """One punch (打卡记录) of a device user, as the device or export recorded it.

    punched_at is the hall's wall-clock time, naive, as every device and export writes it. A punch
    names a device user id, not a person: the mapping (DeviceUser) says whose it is, so a punch that
    came in before its id was mapped counts as soon as it is.
    """

    __tablename__ = "attendance_punch"
    __audit__ = False  # imported by the thousand; the import record and its audit event stand for them
    __table_args__ = (UniqueConstraint("hall_id", "key"), Index("ix_attendance_punch_hall_day", "hall_id", "day"),
                      # With the day: a person's month is a range of this index, not all their years of punches.
                      Index("ix_attendance_punch_device_user", "hall_id", "source", "device_user_id", "day"))

    hall_id: Mapped[int] = mapped_column(ForeignKey("hall.id"))
    import_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"), index=True)
    key: Mapped[str] = mapped_column(String(120))
    source: Mapped[str] = mapped_column(String(24))
    device_user_id: Mapped[str] = mapped_column(String(40))
    name_on_device: Mapped[str] = mapped_column(String(40), default="")
    day: Mapped[date]
    punched_at: Mapped[datetime] = mapped_column(DateTime)
    direction: Mapped[str] = mapped_column(String(8), default="")
    verify: Mapped[str] = mapped_column(String(16), default="")
    device: Mapped[str] = mapped_column(String(40), default="")


class DeviceUser(PkMixin, db.Model):
    """A device user id (考勤号) of one source mapped to a person, once."""

    __tablename__ = "attendance_device_user"
    __table_args__ = (UniqueConstraint("hall_id", "source", "device_user_id"),)

    hall_id: Mapped[int] = mapped_column(ForeignKey("hall.id"), index=True)
    source: Mapped[str] = mapped_column(String(24))
    device_user_id: Mapped[str] = mapped_column(String(40))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    mapped_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    mapped_at: Mapped[datetime] = mapped_column(UTCDateTime)

    user = relationship("User", foreign_keys=[user_id])


class AttendanceDevice(PkMixin, db.Model):
    """A ZKTeco terminal registered by its serial number, allowed to push punches over HTTP (ADMS)."""

    __tablename__ = "attendance_device"

    hall_id: Mapped[int] = mapped_column(ForeignKey("hall.id"), index=True)
    serial: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(60), default="")
    field_order: Mapped[str] = mapped_column(String(120))  # e.g. "pin,datetime,direction,verify,skip"
    active: Mapped[bool] = mapped_column(default=True)
    registered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime)

    contact = relationship("DeviceContact", uselist=False, lazy="joined")


class DeviceContact(db.Model):
    """When a device was last heard from and last pushed punches (updated on every heartbeat)."""

    __tablename__ = "attendance_device_contact"
    __audit__ = False  # a heartbeat every few seconds is not a business change

    device_id: Mapped[int] = mapped_column(ForeignKey("attendance_device.id"), primary_key=True)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_push_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    pushed: Mapped[int] = mapped_column(default=0)
