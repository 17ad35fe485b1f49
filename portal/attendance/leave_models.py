"""Leave requests (请假/销假), their decision steps, and missed-punch corrections (补卡)."""
from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models import PkMixin, UTCDateTime

KINDS = {"personal": "事假", "sick": "病假", "annual": "年假", "marriage": "婚假", "maternity": "产假",
         "bereavement": "丧假", "lieu": "调休", "business": "公出"}
STATES = {"pending": "审批中", "approved": "已批准", "refused": "未批准"}
STEP_LABELS = {"director": "值班主任审批", "unit": "单位负责人审批", "center": "中心主任审批",
               "emergency": "紧急请假登记", "paperwork": "补办手续", "return": "销假"}
DECISIONS = {"approved": "同意", "refused": "不同意", "recorded": "已登记"}
HALF_NAMES = {"am": "上午", "pm": "下午"}


class LeaveRequest(PkMixin, db.Model):
    """A leave request (请假单) of one person for a window of half days; its steps say who decided."""

    __tablename__ = "attendance_leave"
    __table_args__ = (Index("ix_attendance_leave_hall_days", "hall_id", "first_day", "last_day"),)

    hall_id: Mapped[int] = mapped_column(ForeignKey("hall.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))
    kind: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(String(300))
    first_day: Mapped[date]
    first_half: Mapped[str] = mapped_column(String(2))
    last_day: Mapped[date]
    last_half: Mapped[str] = mapped_column(String(2))
    halves: Mapped[int]  # working half days in the window
    chain: Mapped[str] = mapped_column(String(16))  # "director" or "center" (unit leader, then center director)
    state: Mapped[str] = mapped_column(String(12), default="pending")
    emergency: Mapped[bool] = mapped_column(default=False)
    paperwork_due: Mapped[date | None]
    substitute_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    user = relationship("User", foreign_keys=[user_id])
    substitute = relationship("User", foreign_keys=[substitute_id])
    steps = relationship("LeaveStep", order_by="LeaveStep.id", lazy="selectin")

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]

    @property
    def state_label(self) -> str:
        return STATES[self.state]

    @property
    def days(self) -> float:
        return self.halves / 2

    @property
    def window_label(self) -> str:
        return (f"{self.first_day:%m-%d}{HALF_NAMES[self.first_half]} 至 "
                f"{self.last_day:%m-%d}{HALF_NAMES[self.last_half]}")

    def step_row(self, step: str):
        """Return the decision recorded for a step, if any."""
        return next((s for s in self.steps if s.step == step), None)


class LeaveStep(PkMixin, db.Model):
    """One decision on a leave request: who, when, what (append-only; a refusal ends the request)."""

    __tablename__ = "attendance_leave_step"
    __table_args__ = (UniqueConstraint("leave_id", "step"),)

    leave_id: Mapped[int] = mapped_column(ForeignKey("attendance_leave.id"), index=True)
    step: Mapped[str] = mapped_column(String(16))
    decision: Mapped[str] = mapped_column(String(12))
    by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    note: Mapped[str] = mapped_column(String(300), default="")

    by = relationship("User")

    @property
    def label(self) -> str:
        return STEP_LABELS[self.step]

    @property
    def decision_label(self) -> str:
        return DECISIONS[self.decision]


class LeaveDirector(PkMixin, db.Model):
    """The person a hall names to approve leave up to a day, instead of the general duty leader."""

    __tablename__ = "attendance_leave_director"

    hall_id: Mapped[int] = mapped_column(ForeignKey("hall.id"), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    named_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    named_at: Mapped[datetime] = mapped_column(UTCDateTime)

    user = relationship("User", foreign_keys=[user_id])
    named_by = relationship("User", foreign_keys=[named_by_id])


class PunchCorrection(PkMixin, db.Model):
    """A missed-punch correction request (补卡): a punch time asked for, decided by the duty leader."""

    __tablename__ = "attendance_correction"
    __table_args__ = (Index("ix_attendance_correction_hall_day", "hall_id", "day"),)

    hall_id: Mapped[int] = mapped_column(ForeignKey("hall.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    day: Mapped[date]
    punched_at: Mapped[datetime]  # the hall's wall-clock time, naive, like a device punch
    reason: Mapped[str] = mapped_column(String(300))
    state: Mapped[str] = mapped_column(String(12), default="pending")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user = relationship("User", foreign_keys=[user_id])
    decided_by = relationship("User", foreign_keys=[decided_by_id])

    @property
    def state_label(self) -> str:
        return STATES[self.state]


class AttendanceMonth(PkMixin, db.Model):
    """A month's attendance published as a 公示: from then on the month is closed."""

    __tablename__ = "attendance_month"
    __table_args__ = (UniqueConstraint("hall_id", "year", "month"),)

    hall_id: Mapped[int] = mapped_column(ForeignKey("hall.id"))
    year: Mapped[int]
    month: Mapped[int]
    published_at: Mapped[datetime] = mapped_column(UTCDateTime)
    published_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    notice_id: Mapped[int | None] = mapped_column(ForeignKey("notice.id"))


SENDBACK_REASONS = {"sick": "病假", "late_early": "迟到早退", "absent": "旷工"}
SENDBACK_DECISIONS = {"sent_back": "退回原单位", "kept": "暂不退回（谈话提醒）"}


class SendBackFlag(PkMixin, db.Model):
    """A person over one of the year's send-back thresholds (退回原单位), noted once by the daily close."""

    __tablename__ = "attendance_sendback_flag"
    __table_args__ = (UniqueConstraint("hall_id", "user_id", "year", "reason"),)

    hall_id: Mapped[int] = mapped_column(ForeignKey("hall.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    year: Mapped[int]
    reason: Mapped[str] = mapped_column(String(16))
    flagged_on: Mapped[date]
    flagged_at: Mapped[datetime] = mapped_column(UTCDateTime)

    user = relationship("User")

    @property
    def reason_label(self) -> str:
        return SENDBACK_REASONS[self.reason]


class SendBackDecision(PkMixin, db.Model):
    """What the center decided on a flagged person (append-only: a later flag gets a decision of its own)."""

    __tablename__ = "attendance_sendback_decision"

    flag_id: Mapped[int] = mapped_column(ForeignKey("attendance_sendback_flag.id"), unique=True)
    decision: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(String(300), default="")
    by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)

    by = relationship("User")

    @property
    def decision_label(self) -> str:
        return SENDBACK_DECISIONS[self.decision]
