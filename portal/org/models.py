"""Halls, departments (窗口单位), windows (窗口) and people."""
from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..extensions import db
from ..models import TimestampMixin

HALL_LEVELS = {"province": "省级", "city": "市级", "county": "县级", "township": "乡镇", "village": "村（社区）"}
DEPARTMENT_KINDS = {"window_unit": "窗口单位", "center_office": "中心科室"}


class Hall(TimestampMixin, db.Model):
    """A service hall (政务服务中心 or 便民服务站), optionally under a parent hall."""

    __tablename__ = "hall"

    name: Mapped[str] = mapped_column(String(80))
    level: Mapped[str] = mapped_column(String(16), default="county")
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("hall.id"))
    address: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    active: Mapped[bool] = mapped_column(default=True)

    parent: Mapped["Hall | None"] = relationship(remote_side="Hall.id")

    @property
    def level_label(self) -> str:
        return HALL_LEVELS.get(self.level, self.level)


class Department(TimestampMixin, db.Model):
    """A window unit (进驻部门) or one of the center's own offices."""

    __tablename__ = "department"
    __table_args__ = (UniqueConstraint("hall_id", "name"),)

    hall_id: Mapped[int] = mapped_column(ForeignKey("hall.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(16), default="window_unit")
    sort_order: Mapped[int] = mapped_column(default=0)
    zone_note: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(default=True)

    hall: Mapped[Hall] = relationship()

    @property
    def kind_label(self) -> str:
        return DEPARTMENT_KINDS.get(self.kind, self.kind)


class Window(TimestampMixin, db.Model):
    """A numbered service window (窗口) with its A post and B post (AB岗)."""

    __tablename__ = "window"
    __table_args__ = (UniqueConstraint("hall_id", "number"),)

    hall_id: Mapped[int] = mapped_column(ForeignKey("hall.id"), index=True)
    number: Mapped[int]
    name: Mapped[str] = mapped_column(String(80))
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"), index=True)
    a_post_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    b_post_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    zone_office_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))
    active: Mapped[bool] = mapped_column(default=True)

    hall: Mapped[Hall] = relationship()
    department: Mapped[Department] = relationship(foreign_keys=[department_id])
    zone_office: Mapped[Department | None] = relationship(foreign_keys=[zone_office_id])
    a_post: Mapped[User | None] = relationship(foreign_keys=[a_post_id])
    b_post: Mapped[User | None] = relationship(foreign_keys=[b_post_id])
