"""Import profiles, previews waiting for confirmation, imports and their reversals."""
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models import PkMixin, UTCDateTime


class ImportProfile(PkMixin, db.Model):
    """A named column mapping for one kind of file (导入方案): encoding, title rows, fields to columns.

    mapping holds {"columns": {field: header name | 0-based position | [several]}, "header": bool,
    "delimiter": "auto" | "tab" | "comma", "options": {...the capability's own...}}.
    """

    __tablename__ = "import_profile"
    __table_args__ = (UniqueConstraint("hall_id", "kind", "name"),)

    hall_id: Mapped[int] = mapped_column(ForeignKey("hall.id"), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    name: Mapped[str] = mapped_column(String(60))
    mapping: Mapped[dict] = mapped_column(JSON, default=dict)
    encoding: Mapped[str] = mapped_column(String(16), default="auto")
    skip_rows: Mapped[int] = mapped_column(Integer, default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ImportPreview(PkMixin, db.Model):
    """A classified file waiting for confirmation, stored under a token (shared by every app server)."""

    __tablename__ = "import_preview"
    __audit_hidden__ = ("rows", "token")  # the file itself is identified by its hash

    token: Mapped[str] = mapped_column(String(48), unique=True)
    hall_id: Mapped[int] = mapped_column(ForeignKey("hall.id"), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    profile_name: Mapped[str] = mapped_column(String(60))
    file_name: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(String(64))
    counts: Mapped[dict] = mapped_column(JSON, default=dict)
    rows: Mapped[list] = mapped_column(JSON, default=list)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class ImportBatch(PkMixin, db.Model):
    """One confirmed import (导入记录): who, when, which file, how many rows of each class.

    rows keeps the confirmed preview, so what an import brought in stays readable after a reversal.
    """

    __tablename__ = "import_batch"
    __audit_hidden__ = ("rows",)

    hall_id: Mapped[int] = mapped_column(ForeignKey("hall.id"), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    profile_name: Mapped[str] = mapped_column(String(60))
    file_name: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    counts: Mapped[dict] = mapped_column(JSON, default=dict)
    saved: Mapped[int] = mapped_column(Integer, default=0)
    rows: Mapped[list] = mapped_column(JSON, default=list)
    imported_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime)

    imported_by = relationship("User", foreign_keys=[imported_by_id])
    reversal = relationship("ImportReversal", uselist=False, back_populates="batch")


class ImportReversal(PkMixin, db.Model):
    """The reversal of a whole import (撤销导入): who, when, why, and how many rows it removed."""

    __tablename__ = "import_reversal"

    import_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id"), unique=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    removed: Mapped[int] = mapped_column(Integer, default=0)
    reversed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    reversed_at: Mapped[datetime] = mapped_column(UTCDateTime)

    batch = relationship(ImportBatch, back_populates="reversal")
    reversed_by = relationship("User", foreign_keys=[reversed_by_id])
