"""Station star ratings (便民服务站星级评定): an on-site check by the county, kept as made (never edited)."""
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models import PkMixin, UTCDateTime


class StationRating(PkMixin, db.Model):
    """One star-rating visit to a station: its score and stars as computed from the rulebook that day."""

    __tablename__ = "station_rating"

    hall_id: Mapped[int] = mapped_column(ForeignKey("hall.id"), index=True)  # the station rated
    county_hall_id: Mapped[int] = mapped_column(ForeignKey("hall.id"))  # the hall whose supervisor rated it
    by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    day: Mapped[date] = mapped_column(index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    full_centi: Mapped[int]
    score_centi: Mapped[int]
    stars: Mapped[int]
    note: Mapped[str] = mapped_column(Text, default="")

    hall = relationship("Hall", foreign_keys=[hall_id])
    county_hall = relationship("Hall", foreign_keys=[county_hall_id])
    by = relationship("User")
    findings: Mapped[list["StationRatingFinding"]] = relationship(order_by="StationRatingFinding.id")

    @property
    def score(self) -> Decimal:
        return Decimal(self.score_centi) / 100

    @property
    def full(self) -> Decimal:
        return Decimal(self.full_centi) / 100


class StationRatingFinding(PkMixin, db.Model):
    """One problem found on the rating visit, with what it cost then."""

    __tablename__ = "station_rating_finding"

    rating_id: Mapped[int] = mapped_column(ForeignKey("station_rating.id"), index=True)
    item: Mapped[str] = mapped_column(String(40))
    section: Mapped[str] = mapped_column(String(16))
    label: Mapped[str] = mapped_column(String(80))
    severity: Mapped[str] = mapped_column(String(12))
    centi: Mapped[int]
    note: Mapped[str] = mapped_column(String(200), default="")

    @property
    def points(self) -> Decimal:
        return Decimal(self.centi) / 100
