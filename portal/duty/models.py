"""The duty desk (值班长): roster, overrides, checks, the duty log, short leave and handover."""
from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy import text as sql
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models import TimestampMixin, UTCDateTime

LOG_KINDS = {"consultation": "咨询", "visit": "来访", "complaint": "投诉", "incident": "突发事件",
             "fault": "设备故障", "other": "其他"}
# The four steps of every log item (有登记、有报告、有落实、有反馈), in order.
STEPS = {"registered": "登记", "reported": "报告", "acted": "落实", "fed_back": "反馈"}
STEP_ORDER = list(STEPS)
# An item is open until its feedback; listed by value so the state index serves "open" queries.
OPEN_STATES = tuple(STEP_ORDER[:-1])
# The same in SQL, as the open-items index's condition: a query that says it literally can use the index.
OPEN_SQL = "state IN (" + ", ".join(f"'{s}'" for s in OPEN_STATES) + ")"
CHECK_KINDS = {"opening": "开厅检查", "closing": "闭厅检查"}
# How a check of the day stands on the desk.
CHECK_STATES = {"done": "已完成", "late": "迟做", "overdue": "逾时未做", "due": "待检查"}
PENDING, APPROVED, REFUSED = "pending", "approved", "refused"
OVERRIDE_STATES = {PENDING: "待审批", APPROVED: "已批准", REFUSED: "未批准"}


class DutyRotationMember(TimestampMixin, db.Model):
    """One eligible person's place in the rotation order (轮值顺序)."""

    __tablename__ = "duty_rotation_member"
    __table_args__ = (UniqueConstraint("hall_id", "user_id"),)

    hall_id: Mapped[int] = mapped_column(ForeignKey("hall.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    position: Mapped[int] = mapped_column(default=0)

    user = relationship("User")


class DutyDay(TimestampMixin, db.Model):
    """One working day of the roster (值班表): the scheduled leader and the general duty leader."""

    __tablename__ = "duty_day"
    __table_args__ = (UniqueConstraint("hall_id", "day"),)

    hall_id: Mapped[int] = mapped_column(ForeignKey("hall.id"), index=True)
    day: Mapped[date] = mapped_column(index=True)
    leader_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    general_leader_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    term_no: Mapped[int] = mapped_column(default=0)

    leader = relationship("User", foreign_keys=[leader_id])
    general_leader = relationship("User", foreign_keys=[general_leader_id])


class DutyOverride(TimestampMixin, db.Model):
    """A substitution: 替岗 for whole days, or leaving the counter for part of a day."""

    __tablename__ = "duty_override"

    hall_id: Mapped[int] = mapped_column(ForeignKey("hall.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12), default="days")  # days | counter
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    substitute_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    first_day: Mapped[date] = mapped_column(index=True)
    last_day: Mapped[date]
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reason: Mapped[str] = mapped_column(String(200), default="")
    state: Mapped[str] = mapped_column(String(12), default=PENDING)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # An approved 替岗 that replaced an earlier approved one of the same duty names it; the earlier stays.
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("duty_override.id"))

    requested_by = relationship("User", foreign_keys=[requested_by_id])
    substitute = relationship("User", foreign_keys=[substitute_id])
    decided_by = relationship("User", foreign_keys=[decided_by_id])
    supersedes = relationship("DutyOverride", remote_side="DutyOverride.id", foreign_keys=[supersedes_id])

    @property
    def state_label(self) -> str:
        return OVERRIDE_STATES[self.state]


class DutyCheckItem(TimestampMixin, db.Model):
    """One line of the opening or closing checklist, edited by an admin."""

    __tablename__ = "duty_check_item"

    hall_id: Mapped[int] = mapped_column(ForeignKey("hall.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12))
    label: Mapped[str] = mapped_column(String(60))
    sort_order: Mapped[int] = mapped_column(default=0)
    office_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))
    active: Mapped[bool] = mapped_column(default=True)

    hall = relationship("Hall")
    office = relationship("Department")


class DutyCheck(TimestampMixin, db.Model):
    """A completed opening or closing check (开厅/闭厅检查) of one day."""

    __tablename__ = "duty_check"
    __table_args__ = (UniqueConstraint("hall_id", "day", "kind"),)

    hall_id: Mapped[int] = mapped_column(ForeignKey("hall.id"), index=True)
    day: Mapped[date] = mapped_column(index=True)
    kind: Mapped[str] = mapped_column(String(12))
    done_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    done_at: Mapped[datetime] = mapped_column(UTCDateTime)
    late: Mapped[bool] = mapped_column(default=False)

    done_by = relationship("User")
    results: Mapped[list["DutyCheckResult"]] = relationship(order_by="DutyCheckResult.id")


class DutyCheckResult(TimestampMixin, db.Model):
    """One item of a check: OK or fault, with a note; the label is kept as it was."""

    __tablename__ = "duty_check_result"

    check_id: Mapped[int] = mapped_column(ForeignKey("duty_check.id"), index=True)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("duty_check_item.id"))
    label: Mapped[str] = mapped_column(String(60))
    ok: Mapped[bool] = mapped_column(default=True)
    note: Mapped[str] = mapped_column(String(200), default="")
    log_item_id: Mapped[int | None] = mapped_column(ForeignKey("duty_log_item.id"))


class LogLabels:
    """The Chinese labels of a log item's kind and state, for the ORM item and a row read or written without it."""

    __slots__ = ()

    @property
    def kind_label(self) -> str:
        return LOG_KINDS.get(self.kind, self.kind)

    @property
    def state_label(self) -> str:
        return STEPS[self.state]


class DutyLogItem(LogLabels, TimestampMixin, db.Model):
    """One item of the duty log (值班日志), moved through its four steps."""

    __tablename__ = "duty_log_item"
    # The desk's open items: a hall's few open ones, not every item it ever logged. ix_duty_log_item_open:
    # the newest open items in order (major first) and their counts, from the open ones' index entries alone.
    __table_args__ = (Index("ix_duty_log_item_hall_state", "hall_id", "state"),
                      Index("ix_duty_log_item_open", "hall_id", "major", "id", "state", "window_id",
                            postgresql_where=sql(OPEN_SQL), sqlite_where=sql(OPEN_SQL)))

    hall_id: Mapped[int] = mapped_column(ForeignKey("hall.id"), index=True)
    day: Mapped[date] = mapped_column(index=True)
    kind: Mapped[str] = mapped_column(String(16), index=True)
    window_id: Mapped[int | None] = mapped_column(ForeignKey("window.id"))
    office_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))
    people: Mapped[str] = mapped_column(String(200), default="")
    text: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(12), default="registered", index=True)
    major: Mapped[bool] = mapped_column(default=False)
    owner_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    version: Mapped[int] = mapped_column(default=1)

    window = relationship("Window")
    office = relationship("Department")
    owner = relationship("User")
    steps: Mapped[list["DutyLogStep"]] = relationship(order_by="DutyLogStep.id", back_populates="item")
    amendments: Mapped[list["DutyLogAmendment"]] = relationship(order_by="DutyLogAmendment.id")

    __mapper_args__ = {"version_id_col": version}

    @property
    def closed(self) -> bool:
        return self.state == "fed_back"

    @property
    def next_step(self) -> str | None:
        i = STEP_ORDER.index(self.state)
        return STEP_ORDER[i + 1] if i + 1 < len(STEP_ORDER) else None

    @property
    def next_step_label(self) -> str:
        return STEPS[self.next_step] if self.next_step else ""


class DutyLogStep(TimestampMixin, db.Model):
    """One step of a log item: who, when and a note."""

    __tablename__ = "duty_log_step"

    item_id: Mapped[int] = mapped_column(ForeignKey("duty_log_item.id"), index=True)
    step: Mapped[str] = mapped_column(String(12))
    by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    note: Mapped[str] = mapped_column(Text, default="")

    item = relationship(DutyLogItem, back_populates="steps")
    by = relationship("User")

    @property
    def label(self) -> str:
        return STEPS[self.step]


class DutyLogAmendment(TimestampMixin, db.Model):
    """A correction of a log item's text; the original text stays on the record."""

    __tablename__ = "duty_log_amendment"

    item_id: Mapped[int] = mapped_column(ForeignKey("duty_log_item.id"), index=True)
    old_text: Mapped[str] = mapped_column(Text)
    new_text: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(String(200), default="")
    by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)

    by = relationship("User")


class ShortLeave(TimestampMixin, db.Model):
    """A window staff member's short leave slip (临时外出), approved at the desk."""

    __tablename__ = "duty_short_leave"

    hall_id: Mapped[int] = mapped_column(ForeignKey("hall.id"), index=True)
    day: Mapped[date] = mapped_column(index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    window_id: Mapped[int | None] = mapped_column(ForeignKey("window.id"))
    covered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    reason: Mapped[str] = mapped_column(String(200))
    out_at: Mapped[datetime] = mapped_column(UTCDateTime)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    returned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approved_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    returned_recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    # Set by the day-end job when nobody recorded a return: the slip is closed as overrun (超假).
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user = relationship("User", foreign_keys=[user_id])
    window = relationship("Window")
    covered_by = relationship("User", foreign_keys=[covered_by_id])
    approved_by = relationship("User", foreign_keys=[approved_by_id])

    @property
    def still_out(self) -> bool:
        return self.returned_at is None and self.closed_at is None


class DutyHandover(TimestampMixin, db.Model):
    """A handover (交接班) from the outgoing to the incoming duty leader."""

    __tablename__ = "duty_handover"

    hall_id: Mapped[int] = mapped_column(ForeignKey("hall.id"), index=True)
    day: Mapped[date] = mapped_column(index=True)
    from_user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    to_user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    summary: Mapped[str] = mapped_column(Text, default="")
    open_items: Mapped[str] = mapped_column(Text, default="")  # the list as built, frozen as text
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    from_user = relationship("User", foreign_keys=[from_user_id])
    to_user = relationship("User", foreign_keys=[to_user_id])


class DutyPulse(db.Model):
    """A counter bumped by every duty write, so the desk's poll can answer 304 cheaply."""

    __tablename__ = "duty_pulse"
    __audit__ = False

    hall_id: Mapped[int] = mapped_column(ForeignKey("hall.id"), primary_key=True)
    version: Mapped[int] = mapped_column(default=0)
