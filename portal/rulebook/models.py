"""Rulebook settings with their history, and the calendar's exceptional days."""
from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..models import PkMixin, UTCDateTime


class RuleSetting(db.Model):
    """The value in force for one rulebook key; absent means the default."""

    __tablename__ = "rule_setting"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(default=1)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime)


class RuleOverridable(db.Model):
    """A rulebook key the county lets each station set for itself (absent: the county's value holds)."""

    __tablename__ = "rule_overridable"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    marked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    marked_at: Mapped[datetime] = mapped_column(UTCDateTime)


class HallRuleSetting(db.Model):
    """A station's own value for an overridable key (本站); it wins over the county's while the key is open."""

    __tablename__ = "hall_rule_setting"

    hall_id: Mapped[int] = mapped_column(ForeignKey("hall.id"), primary_key=True)
    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(default=1)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime)


class RuleChange(PkMixin, db.Model):
    """One change of a rulebook value: who changed what, when and why (never edited)."""

    __tablename__ = "rule_change"

    key: Mapped[str] = mapped_column(String(80), index=True)
    hall_id: Mapped[int | None] = mapped_column(ForeignKey("hall.id"))  # a station's own value; None: county
    old_value: Mapped[str] = mapped_column(String(200))
    new_value: Mapped[str] = mapped_column(String(200))
    version: Mapped[int]
    reason: Mapped[str] = mapped_column(Text, default="")
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime)


class CalendarDay(PkMixin, db.Model):
    """A day that breaks the weekday rule: a holiday, a make-up working day, a closure, an extra day."""

    __tablename__ = "calendar_day"

    day: Mapped[date] = mapped_column(unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # holiday | workday | closure | extra
    name: Mapped[str] = mapped_column(String(60), default="")
    source: Mapped[str] = mapped_column(String(32), default="admin")

    KINDS = {"holiday": "法定节假日", "workday": "调休上班", "closure": "大厅闭厅", "extra": "加班开厅"}
    WORKING_KINDS = {"workday", "extra"}


class CalendarYear(db.Model):
    """A year whose official holiday schedule has been entered."""

    __tablename__ = "calendar_year"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    source: Mapped[str] = mapped_column(String(32))
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime)


class HallCalendarDay(PkMixin, db.Model):
    """A station's own day (本站): closed for a local reason, or open on a day the county's calendar is off."""

    __tablename__ = "hall_calendar_day"
    __table_args__ = (UniqueConstraint("hall_id", "day"),)

    hall_id: Mapped[int] = mapped_column(ForeignKey("hall.id"))
    day: Mapped[date]
    kind: Mapped[str] = mapped_column(String(16))  # closure | extra
    name: Mapped[str] = mapped_column(String(60), default="")
    source: Mapped[str] = mapped_column(String(32), default="admin")

    KINDS = {"closure": "本站闭厅", "extra": "本站加班开厅"}
