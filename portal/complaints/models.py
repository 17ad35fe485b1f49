"""Complaint cases (投诉), their append-only history of steps, and the public page's failed look-ups."""
from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models import PkMixin, TimestampMixin, UTCDateTime

CHANNELS = {"in_person": "在场", "box": "意见箱", "hall_phone": "本厅电话", "hotline": "12345",
            "letter": "信件", "online": "网上"}
KINDS = {"urgent": "紧急", "enquiry": "咨询", "complaint": "投诉", "suggestion": "建议", "praise": "表扬"}
STATES = {"received": "已受理（首问责任人处理中）", "sent": "已派单待签收", "accepted": "承办中",
          "paused": "待补充材料", "replied": "已答复待回访", "closed": "已办结",
          "withdrawn": "已撤销（工单导入撤销）"}
OPEN_STATES = ("received", "sent", "accepted", "paused")
VERDICTS = {"true": "属实", "partly": "部分属实", "false": "不属实"}
VERIFIED = ("true", "partly")
VIEWS = {"satisfied": "满意", "basic": "基本满意", "dissatisfied": "不满意"}
STEPS = {"registered": "受理登记", "sent": "派单", "accepted": "签收", "returned": "退单",
         "escalated": "超时未签收上报",
         "paused": "暂停（待补充材料）", "resumed": "恢复计时", "extension_asked": "申请延期",
         "extension_approved": "批准延期", "extension_refused": "不批准延期", "urged": "催办", "verified": "核实",
         "replied": "答复", "callback": "回访", "reopened": "重新办理", "praise": "表扬登记",
         "withdrawn": "撤销（工单导入撤销）"}


class Complaint(TimestampMixin, db.Model):
    """A complaint case (投诉件) from first contact to the callback; its steps are its history."""

    __tablename__ = "complaint"
    __table_args__ = (UniqueConstraint("hall_id", "number"),)
    __audit_masked__ = {"name": "name", "phone": "phone"}  # personal data stays masked in the audit log

    hall_id: Mapped[int] = mapped_column(ForeignKey("hall.id"), index=True)
    number: Mapped[str] = mapped_column(String(20))
    query_code: Mapped[str] = mapped_column(String(12))
    channel: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(60), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")
    window_id: Mapped[int | None] = mapped_column(ForeignKey("window.id"))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))  # the unit concerned
    text: Mapped[str] = mapped_column(Text)
    # The clock starts at first contact with the hall, whoever took it (首问负责).
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    first_owner_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    state: Mapped[str] = mapped_column(String(20), default="received", index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"), index=True)  # the handling unit
    round: Mapped[int] = mapped_column(default=1)  # a reopened case starts a new round
    round_start: Mapped[date]
    work_order: Mapped[str | None] = mapped_column(String(40))  # the 12345 work-order number
    duty_log_item_id: Mapped[int | None] = mapped_column(ForeignKey("duty_log_item.id"))

    window = relationship("Window")
    department = relationship("Department", foreign_keys=[department_id])
    unit = relationship("Department", foreign_keys=[unit_id])
    first_owner = relationship("User")
    steps = relationship("ComplaintStep", order_by="ComplaintStep.id", back_populates="complaint")

    @property
    def kind_label(self) -> str:
        return KINDS.get(self.kind, self.kind)

    @property
    def channel_label(self) -> str:
        return CHANNELS.get(self.channel, self.channel)

    @property
    def state_label(self) -> str:
        return STATES.get(self.state, self.state)


class ComplaintStep(PkMixin, db.Model):
    """One thing done to a case (派单、签收、退单、核实、答复…): recorded once, never edited."""

    __tablename__ = "complaint_step"
    __pulse_parent__ = "complaint"  # the inbox version moved on is its complaint's hall's (inbox/pulse.py)
    # By case (a case page), and by kind of step (the list's returns per unit: a few rows of years of steps).
    __table_args__ = (Index("ix_complaint_step_case", "complaint_id", "step"),
                      Index("ix_complaint_step_step_unit", "step", "unit_id"))

    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id"))
    round: Mapped[int] = mapped_column(default=1)
    step: Mapped[str] = mapped_column(String(30))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))  # None: the daily job
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))  # sent to / accepted or returned by
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))  # the person a verified complaint is about
    value: Mapped[str] = mapped_column(String(30), default="")  # verdict, callback view, rule cited, days
    note: Mapped[str] = mapped_column(Text, default="")
    # Steps made by the daily job (escalation, 催办) carry a key, so re-running adds nothing.
    key: Mapped[str | None] = mapped_column(String(80), unique=True)

    complaint = relationship("Complaint", back_populates="steps")
    by = relationship("User", foreign_keys=[by_id])
    unit = relationship("Department")
    staff = relationship("User", foreign_keys=[staff_id])

    @property
    def label(self) -> str:
        return STEPS.get(self.step, self.step)


class TrackFailure(PkMixin, db.Model):
    """A wrong case number or query code on the public page: counted per address, shared by every server."""

    __tablename__ = "complaint_track_failure"

    address: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class HotlineOrder(PkMixin, db.Model):
    """A 12345 work order as imported from the hotline platform's export; it becomes one case."""

    __tablename__ = "complaint_hotline_order"
    __table_args__ = (UniqueConstraint("hall_id", "key"),)
    __audit_masked__ = {"name": "name", "phone": "phone"}

    hall_id: Mapped[int] = mapped_column(ForeignKey("hall.id"), index=True)
    import_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"), index=True)
    key: Mapped[str] = mapped_column(String(120))  # the work-order number: importing twice adds nothing
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(60), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")
    unit_name: Mapped[str] = mapped_column(String(120), default="")
    text: Mapped[str] = mapped_column(Text)
    complaint_id: Mapped[int | None] = mapped_column(ForeignKey("complaint.id"))


def refuse_step_edits(session, _ctx, _instances):
    """A case's history is append-only: an edited or deleted step is a programming error."""
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, ComplaintStep) and (obj in session.deleted or session.is_modified(obj)):
            raise RuntimeError("complaint steps are never edited or deleted; add a new step")
