"""The red flags' records (流动红旗): the duty leaders' votes and the flags awarded for a month."""
from datetime import datetime

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models import PkMixin, UTCDateTime


class RedFlagVote(PkMixin, db.Model):
    """One duty leader's vote for a window unit's red flag of a month (值班长投票); never changed."""

    __tablename__ = "red_flag_vote"
    __table_args__ = (UniqueConstraint("hall_id", "year", "month", "voter_id", "department_id"),)

    hall_id: Mapped[int] = mapped_column(ForeignKey("hall.id"), index=True)
    year: Mapped[int]
    month: Mapped[int]
    voter_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"))
    cast_at: Mapped[datetime] = mapped_column(UTCDateTime)


class RedFlagAward(PkMixin, db.Model):
    """A red flag awarded to a window unit for a month (流动红旗), with its place and score then."""

    __tablename__ = "red_flag_award"
    __table_args__ = (UniqueConstraint("hall_id", "year", "month", "department_id"),)

    hall_id: Mapped[int] = mapped_column(ForeignKey("hall.id"), index=True)
    year: Mapped[int]
    month: Mapped[int]
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"))
    place: Mapped[int]
    score_centi: Mapped[int]  # the formula's score, in hundredths
    shared: Mapped[bool] = mapped_column(default=False)  # tied at the last place and let in
    awarded_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    awarded_at: Mapped[datetime] = mapped_column(UTCDateTime)

    department = relationship("Department")
