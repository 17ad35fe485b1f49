"""A piece of background work and its result, kept in the database so every app server reads it."""
from datetime import datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .. import clock
from ..extensions import db
from ..models import PkMixin, UTCDateTime

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"


class BackgroundJob(PkMixin, db.Model):
    """A job run by the worker (后台任务): a long PDF, a big import's confirmation, the reminders."""

    __tablename__ = "background_job"
    __audit__ = False  # the export that asked for it is audited; the job row is plumbing
    __table_args__ = (Index("ix_background_job_state_id", "state", "id"),
                      Index("ix_background_job_created_at", "created_at"))

    token: Mapped[str] = mapped_column(String(32), unique=True)  # the job's name in URLs: not guessable
    kind: Mapped[str] = mapped_column(String(40))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))  # None: started by the worker's schedule
    hall_id: Mapped[int | None] = mapped_column(ForeignKey("hall.id"))  # the hall a task acts in
    label: Mapped[str] = mapped_column(String(200))  # what the person sees, e.g. the PDF's file name
    state: Mapped[str] = mapped_column(String(10), default=QUEUED)
    payload: Mapped[str] = mapped_column(Text)
    result: Mapped[bytes | None] = mapped_column(LargeBinary)
    error: Mapped[str] = mapped_column(Text, default="")
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
