"""Patrols (值班巡查): versioned checklists, rounds, window visits, findings and drawn times."""
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models import PkMixin, UTCDateTime

SECTIONS = {"on_post": "在岗", "discipline": "工作纪律", "appearance": "仪容仪表",
            "environment": "窗口环境", "equipment": "设备", "service": "服务"}
OUTCOMES = {"ok": "全部正常", "findings": "发现问题", "na": "不适用"}


class ChecklistTemplate(PkMixin, db.Model):
    """One version of the hall's patrol checklist (巡查清单); a change makes a new version."""

    __tablename__ = "patrol_checklist"
    __table_args__ = (UniqueConstraint("hall_id", "version"),)

    hall_id: Mapped[int] = mapped_column(ForeignKey("hall.id"), index=True)
    version: Mapped[int]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    note: Mapped[str] = mapped_column(String(200), default="")

    items: Mapped[list["ChecklistItem"]] = relationship(
        order_by="ChecklistItem.sort_order", back_populates="template")
    created_by = relationship("User")


class ChecklistItem(PkMixin, db.Model):
    """One thing a patroller checks, with the points a finding costs the person and the unit."""

    __tablename__ = "patrol_checklist_item"

    template_id: Mapped[int] = mapped_column(ForeignKey("patrol_checklist.id"), index=True)
    section: Mapped[str] = mapped_column(String(16))
    sort_order: Mapped[int] = mapped_column(default=0)
    label: Mapped[str] = mapped_column(String(80))
    person_centi: Mapped[int] = mapped_column(default=0)
    unit_centi: Mapped[int] = mapped_column(default=0)

    template: Mapped[ChecklistTemplate] = relationship(back_populates="items")

    @property
    def section_label(self) -> str:
        return SECTIONS.get(self.section, self.section)

    @property
    def person_points(self) -> Decimal:
        return Decimal(self.person_centi) / 100

    @property
    def unit_points(self) -> Decimal:
        return Decimal(self.unit_centi) / 100

    @property
    def per_person(self) -> bool:
        return self.person_centi > 0


class PatrolRound(PkMixin, db.Model):
    """One patrol through the hall (一次巡查), done with one checklist version."""

    __tablename__ = "patrol_round"

    hall_id: Mapped[int] = mapped_column(ForeignKey("hall.id"), index=True)
    patroller_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("patrol_checklist.id"))
    day: Mapped[date] = mapped_column(index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    patroller = relationship("User")
    template: Mapped[ChecklistTemplate] = relationship()

    @property
    def finished(self) -> bool:
        return self.finished_at is not None


class PatrolVisit(PkMixin, db.Model):
    """One save of one window's card in a round; saves are appended, so two patrollers both keep theirs."""

    __tablename__ = "patrol_visit"
    # A window's card in a round: found through both, not through all the window's visits in history.
    __table_args__ = (Index("ix_patrol_visit_round_window", "round_id", "window_id"),)

    round_id: Mapped[int] = mapped_column(ForeignKey("patrol_round.id"), index=True)
    hall_id: Mapped[int] = mapped_column(ForeignKey("hall.id"))
    window_id: Mapped[int] = mapped_column(ForeignKey("window.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"), index=True)
    by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    day: Mapped[date] = mapped_column(index=True)
    outcome: Mapped[str] = mapped_column(String(12))
    note: Mapped[str] = mapped_column(Text, default="")
    na_reason: Mapped[str] = mapped_column(String(200), default="")
    corrected: Mapped[bool] = mapped_column(default=False)
    serious: Mapped[bool] = mapped_column(default=False)

    findings: Mapped[list["PatrolFinding"]] = relationship(order_by="PatrolFinding.id")
    window = relationship("Window")
    department = relationship("Department")
    by = relationship("User")
    round: Mapped[PatrolRound] = relationship()

    @property
    def outcome_label(self) -> str:
        return OUTCOMES.get(self.outcome, self.outcome)


class PatrolFinding(PkMixin, db.Model):
    """One problem found at a window, against a person or the window itself, with what it cost then."""

    __tablename__ = "patrol_finding"

    visit_id: Mapped[int] = mapped_column(ForeignKey("patrol_visit.id"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("patrol_checklist_item.id"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    # The unit that answers for it: the person's department on the day (the window's for a window item).
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))
    label: Mapped[str] = mapped_column(String(80))
    section: Mapped[str] = mapped_column(String(16))
    # What the finding deducted: nothing for a minor finding corrected on the spot, if the rulebook says so.
    person_centi: Mapped[int] = mapped_column(default=0)
    unit_centi: Mapped[int] = mapped_column(default=0)
    # The ledger events it made, so the whole finding can be voided at once.
    person_event_id: Mapped[int | None] = mapped_column(ForeignKey("score_event.id"))
    unit_event_id: Mapped[int | None] = mapped_column(ForeignKey("score_event.id"))

    person = relationship("User", lazy="joined")
    void: Mapped["PatrolFindingVoid | None"] = relationship(lazy="joined", back_populates="finding")

    @property
    def event_ids(self) -> list[int]:
        return [i for i in (self.person_event_id, self.unit_event_id) if i is not None]


class PatrolFindingVoid(PkMixin, db.Model):
    """A finding voided (申诉成立) with its reason: a record of its own, once per finding."""

    __tablename__ = "patrol_finding_void"

    finding_id: Mapped[int] = mapped_column(ForeignKey("patrol_finding.id"), unique=True)
    reason: Mapped[str] = mapped_column(Text)
    by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)

    finding: Mapped[PatrolFinding] = relationship(back_populates="void")
    by = relationship("User")


class PatrolSlot(PkMixin, db.Model):
    """A drawn, unannounced patrol time (随机巡查时间) and who must patrol then."""

    __tablename__ = "patrol_slot"
    __table_args__ = (UniqueConstraint("hall_id", "day", "slot"),)

    hall_id: Mapped[int] = mapped_column(ForeignKey("hall.id"), index=True)
    day: Mapped[date]
    slot: Mapped[int]
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    patroller_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    drawn_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))

    patroller = relationship("User", foreign_keys=[patroller_id])
