"""A stored upload: generated name on disk, checked type, owning record."""
from datetime import datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..models import PkMixin, UTCDateTime


class StoredFile(PkMixin, db.Model):
    """One uploaded file: its bytes in the database (StoredBlob) or under the instance folder, never static/."""

    __tablename__ = "stored_file"
    __table_args__ = (Index("ix_stored_file_owner", "owner_type", "owner_id"),)

    token: Mapped[str] = mapped_column(String(48), unique=True)
    original_name: Mapped[str] = mapped_column(String(200))
    mime: Mapped[str] = mapped_column(String(64))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    path: Mapped[str] = mapped_column(String(200))
    owner_type: Mapped[str] = mapped_column(String(40), default="")
    owner_id: Mapped[int | None]
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    @property
    def is_image(self) -> bool:
        return self.mime.startswith("image/")


class StoredBlob(db.Model):
    """The bytes of one upload, where the storage setting keeps them in the database (every server reads them)."""

    __tablename__ = "stored_blob"
    __audit__ = False  # the file's row (stored_file) is audited; its bytes are not copied into the log

    file_id: Mapped[int] = mapped_column(ForeignKey("stored_file.id", ondelete="CASCADE"), primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
