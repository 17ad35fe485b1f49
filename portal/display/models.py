"""Hall screens (大厅屏幕): a TV or LED screen opens its page with a secret token, no login."""
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models import TimestampMixin, UTCDateTime


class DisplayScreen(TimestampMixin, db.Model):
    """One screen in the hall and the token in its address; a revoked token opens nothing."""

    __tablename__ = "display_screen"
    __audit_hidden__ = ("token",)

    hall_id: Mapped[int] = mapped_column(ForeignKey("hall.id"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    location: Mapped[str] = mapped_column(String(100), default="")
    token: Mapped[str] = mapped_column(String(64), unique=True)
    rotate_seconds: Mapped[int] = mapped_column(default=15)
    poll_seconds: Mapped[int] = mapped_column(default=10)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    created_by = relationship("User", foreign_keys=[created_by_id])

    @property
    def active(self) -> bool:
        return self.revoked_at is None
