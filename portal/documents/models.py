"""Document numbers (发文字号): a per-hall yearly sequence and the numbers it has issued."""
from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models import TimestampMixin, UTCDateTime

KINDS = {"bulletin": "通报", "publicity": "公示"}


class DocumentSeries(TimestampMixin, db.Model):
    """A hall's numbering of one year (发文字号序列): its 机关代字, issuing office and next number."""

    __tablename__ = "document_series"
    __table_args__ = (UniqueConstraint("hall_id", "year", name="uq_document_series_hall_year"),)

    hall_id: Mapped[int] = mapped_column(ForeignKey("hall.id"))
    year: Mapped[int]
    prefix: Mapped[str] = mapped_column(String(20))
    issuer: Mapped[str] = mapped_column(String(80))
    next_number: Mapped[int] = mapped_column(default=1)


class IssuedDocument(TimestampMixin, db.Model):
    """One issued document and the number it was given (e.g. 示范政服〔2026〕12号)."""

    __tablename__ = "issued_document"
    # Two issues can never share a number, whatever happens to the sequence.
    __table_args__ = (UniqueConstraint("hall_id", "year", "number", name="uq_issued_document_number"),)

    hall_id: Mapped[int] = mapped_column(ForeignKey("hall.id"))
    year: Mapped[int]
    number: Mapped[int]
    prefix: Mapped[str] = mapped_column(String(20))
    issuer: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(200))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    notice_id: Mapped[int | None] = mapped_column(ForeignKey("notice.id"), index=True)

    issued_by = relationship("User")

    @property
    def label(self) -> str:
        """The 发文字号 as printed."""
        return f"{self.prefix}〔{self.year}〕{self.number}号"

    @property
    def kind_label(self) -> str:
        return KINDS.get(self.kind, self.kind)
