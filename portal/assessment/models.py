"""The monthly assessment's records: the month's state, its frozen sheets and lines, the units' objections."""
from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models import PkMixin, UTCDateTime

DRAFT, REVIEWED, PUBLISHED, CLOSED = "draft", "reviewed", "published", "closed"
STATES = {DRAFT: "草稿", REVIEWED: "已复核", PUBLISHED: "公示中", CLOSED: "已结束"}
FROZEN = (PUBLISHED, CLOSED)  # from publishing on, the sheet is the stored one, never recomputed

PENDING, UPHELD, REJECTED = "pending", "upheld", "rejected"
RULINGS = {PENDING: "待裁定", UPHELD: "异议成立", REJECTED: "异议不成立"}


class AssessmentMonth(PkMixin, db.Model):
    """A hall's month of assessment (月度考核): draft, reviewed, published (公示), closed."""

    __tablename__ = "assessment_month"
    __table_args__ = (UniqueConstraint("hall_id", "year", "month"),)

    hall_id: Mapped[int] = mapped_column(ForeignKey("hall.id"), index=True)
    year: Mapped[int]
    month: Mapped[int]
    state: Mapped[str] = mapped_column(String(12), default=DRAFT)
    # What the supervisor reviewed: the ledger's fingerprint then, so a later event asks for a new review.
    review_mark: Mapped[str] = mapped_column(String(80), default="")
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    objection_until: Mapped[date | None]  # the last working day a unit may object
    notice_id: Mapped[int | None] = mapped_column(ForeignKey("notice.id"))
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    reviewed_by = relationship("User", foreign_keys=[reviewed_by_id])
    published_by = relationship("User", foreign_keys=[published_by_id])
    closed_by = relationship("User", foreign_keys=[closed_by_id])

    @property
    def label(self) -> str:
        return f"{self.year}年{self.month}月"

    @property
    def key(self) -> str:
        return f"{self.year}-{self.month:02d}"

    @property
    def state_label(self) -> str:
        return STATES[self.state]

    @property
    def frozen(self) -> bool:
        return self.state in FROZEN


class AssessmentSheet(PkMixin, db.Model):
    """One unit's or one person's published sheet of a month (考核表), kept as published."""

    __tablename__ = "assessment_sheet"
    __table_args__ = (UniqueConstraint("month_id", "department_id", "user_id"),)

    month_id: Mapped[int] = mapped_column(ForeignKey("assessment_month.id"), index=True)
    # A unit's sheet names only the department; a person's names the person and their department.
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    base_centi: Mapped[int]
    cap_centi: Mapped[int]
    # [{key, label, max_centi, raw_centi, centi}]: the categories as the rulebook stood when published.
    categories: Mapped[list] = mapped_column(JSON, default=list)
    bonus_centi: Mapped[int] = mapped_column(default=0)
    adjustment_centi: Mapped[int] = mapped_column(default=0)
    total_centi: Mapped[int]
    rank: Mapped[int]

    department = relationship("Department")
    user = relationship("User")


class AssessmentLine(PkMixin, db.Model):
    """One ledger event (or a unit's person-to-unit cost) on a published sheet."""

    __tablename__ = "assessment_line"

    sheet_id: Mapped[int] = mapped_column(ForeignKey("assessment_sheet.id"), index=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("score_event.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12))  # deduction | bonus | adjustment | linked
    category: Mapped[str] = mapped_column(String(30))
    centipoints: Mapped[int]
    day: Mapped[date]
    rule: Mapped[str] = mapped_column(String(120))
    source: Mapped[str] = mapped_column(String(20))
    evidence: Mapped[str] = mapped_column(String(80), default="")
    origin: Mapped[str] = mapped_column(String(7), default="")  # an adjustment's month, "2026-10"
    linked_user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))


class AssessmentObjection(PkMixin, db.Model):
    """A unit's objection (异议) to one line of its published sheet, and the supervisor's ruling."""

    __tablename__ = "assessment_objection"

    month_id: Mapped[int] = mapped_column(ForeignKey("assessment_month.id"), index=True)
    line_id: Mapped[int] = mapped_column(ForeignKey("assessment_line.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"), index=True)
    raised_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reason: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(12), default=PENDING)
    ruled_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    ruled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ruling_note: Mapped[str] = mapped_column(Text, default="")
    reversal_event_id: Mapped[int | None] = mapped_column(ForeignKey("score_event.id"))

    line = relationship("AssessmentLine")
    department = relationship("Department")
    raised_by = relationship("User", foreign_keys=[raised_by_id])
    ruled_by = relationship("User", foreign_keys=[ruled_by_id])

    @property
    def state_label(self) -> str:
        return RULINGS[self.state]
