"""The notice board (公告栏): notices, their earlier versions, read receipts and the board stamp."""
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models import PkMixin, TimestampMixin, UTCDateTime

CATEGORIES = {"notice": "通知", "publicity": "公示", "bulletin": "通报", "rule": "制度", "guide": "办事指南"}
AUDIENCES = {"public": "大厅屏幕（公开）", "staff": "全体工作人员", "departments": "指定部门",
             "county": "本级及下属各站工作人员"}
COUNTY = "county"  # addressed to the staff of this hall and of every station (and room) under it
TO_EVERYONE = ("public", "staff", COUNTY)  # audiences that reach every department (else: the chosen ones)
DRAFT, PUBLISHED, ARCHIVED = "draft", "published", "archived"
STATES = {DRAFT: "草稿", PUBLISHED: "已发布", ARCHIVED: "已归档"}


class Notice(TimestampMixin, db.Model):
    """A notice on the board (公告); public ones also appear on the hall screen."""

    __tablename__ = "notice"
    # ix_notice_live: the board finds the unexpired notices without reading the expired ones of past years.
    __table_args__ = (Index("ix_notice_board", "hall_id", "state", "publish_at"),
                      Index("ix_notice_live", "hall_id", "state", "expires_at", "publish_at"))

    hall_id: Mapped[int] = mapped_column(ForeignKey("hall.id"))
    title: Mapped[str] = mapped_column(String(120))
    body: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(16), default="notice")
    audience: Mapped[str] = mapped_column(String(16), default="staff")
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    pinned: Mapped[bool] = mapped_column(default=False)
    must_read: Mapped[bool] = mapped_column(default=False)
    emergency: Mapped[bool] = mapped_column(default=False)
    state: Mapped[str] = mapped_column(String(12), default=DRAFT)
    publish_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revision: Mapped[int] = mapped_column(default=1)
    # The acknowledgement round (阅知轮次): a change of substance to a must-read notice asks everyone again.
    ack_round: Mapped[int] = mapped_column(default=1, server_default=text("1"))

    author = relationship("User", foreign_keys=[author_id])
    departments: Mapped[list["NoticeDepartment"]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="NoticeDepartment.department_id")

    __mapper_args__ = {"version_id_col": revision}

    @property
    def category_label(self) -> str:
        return CATEGORIES.get(self.category, self.category)

    @property
    def audience_label(self) -> str:
        return AUDIENCES.get(self.audience, self.audience)

    @property
    def state_label(self) -> str:
        return STATES.get(self.state, self.state)

    @property
    def department_ids(self) -> list[int]:
        return [d.department_id for d in self.departments]


class NoticeDepartment(db.Model):
    """One department a notice is addressed to (audience: chosen departments)."""

    __tablename__ = "notice_department"

    notice_id: Mapped[int] = mapped_column(ForeignKey("notice.id", ondelete="CASCADE"), primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"), primary_key=True, index=True)


class NoticeVersion(PkMixin, db.Model):
    """An earlier text of a published notice, kept when it is edited (历史版本)."""

    __tablename__ = "notice_version"
    __table_args__ = (UniqueConstraint("notice_id", "number"),)

    notice_id: Mapped[int] = mapped_column(ForeignKey("notice.id"), index=True)
    number: Mapped[int]
    title: Mapped[str] = mapped_column(String(120))
    body: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(16))
    edited_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime)

    edited_by = relationship("User")

    @property
    def category_label(self) -> str:
        return CATEGORIES.get(self.category, self.category)


class NoticeRead(PkMixin, db.Model):
    """One person's read receipt of a notice in one round, and their acknowledgement of a must-read one (已阅知).

    A change of substance starts a new round: earlier receipts stay as they were, a new one is made.
    """

    __tablename__ = "notice_read"
    __table_args__ = (UniqueConstraint("notice_id", "user_id", "ack_round"),)
    __audit__ = False  # opening a notice is not a business change; acknowledgements are audited explicitly

    notice_id: Mapped[int] = mapped_column(ForeignKey("notice.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    read_at: Mapped[datetime] = mapped_column(UTCDateTime)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ack_round: Mapped[int] = mapped_column(default=1, server_default=text("1"))


class BoardStamp(PkMixin, db.Model):
    """The hall's board version and upcoming publish/expiry moments: what hall screens poll cheaply."""

    __tablename__ = "notice_board_stamp"
    __audit__ = False

    hall_id: Mapped[int] = mapped_column(ForeignKey("hall.id"), unique=True)
    version: Mapped[int] = mapped_column(default=0)
    # Epoch seconds (space separated) at which a notice of the hall appears or disappears.
    moments: Mapped[str] = mapped_column(Text, default="")
