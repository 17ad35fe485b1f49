"""The score ledger (考核台账): point events for a person or a window unit, never edited."""
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models import PkMixin, UTCDateTime

SOURCES = {"patrol": "巡查发现", "missed_patrol": "未按时巡查", "attendance": "考勤", "evaluation": "好差评",
           "complaint": "投诉", "sitin": "领导坐班", "case": "限时办结",
           "manual": "手工登记", "award": "评先评优"}


def to_centi(points) -> int:
    """Turn points (Decimal, str, int) into hundredths of a point."""
    return int((Decimal(str(points)) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


class ScoreEvent(PkMixin, db.Model):
    """One deduction or bonus (扣分/加分); a void is a reversing event, never an edit."""

    __tablename__ = "score_event"
    # Exactly once while it stands: one charge per key and charge number (see scores.service.record).
    __table_args__ = (UniqueConstraint("dedupe_key", "charge_no"),)

    hall_id: Mapped[int] = mapped_column(ForeignKey("hall.id"), index=True)
    # A person's event also names their department, so the unit's pages and leaders find it.
    subject_user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"), index=True)
    # Hundredths of a point: sums stay exact on SQLite and PostgreSQL alike.
    centipoints: Mapped[int]
    rule: Mapped[str] = mapped_column(String(120))
    source: Mapped[str] = mapped_column(String(20))
    day: Mapped[date] = mapped_column(index=True)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    evidence: Mapped[str] = mapped_column(String(80), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    # A void reverses one event once: the database refuses a second reversal.
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("score_event.id"), unique=True)
    # Events made by machines (a missed patrol) carry a key, so re-running adds nothing while the charge stands.
    dedupe_key: Mapped[str | None] = mapped_column(String(120))
    # The how-manieth charge under the key: a charge its capability took back may be charged again later.
    charge_no: Mapped[int] = mapped_column(default=1, server_default="1")
    # On a reversal: the charging capability's own correction (no longer due), which frees the key for a
    # later charge; an upheld appeal (申诉成立) does not, so a re-run never charges it again.
    releases_key: Mapped[bool] = mapped_column(default=False, server_default=false())

    subject_user = relationship("User", foreign_keys=[subject_user_id])
    department = relationship("Department")
    recorded_by = relationship("User", foreign_keys=[recorded_by_id])

    @property
    def points(self) -> Decimal:
        return Decimal(self.centipoints) / 100

    @property
    def source_label(self) -> str:
        return SOURCES.get(self.source, self.source)

    @property
    def is_person(self) -> bool:
        return self.subject_user_id is not None


def refuse_edits(session, _ctx, _instances):
    """The ledger is append-only: an edited or deleted event is a programming error."""
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, ScoreEvent) and (obj in session.deleted or session.is_modified(obj)):
            raise RuntimeError("score events are never edited or deleted; add a reversing event")
