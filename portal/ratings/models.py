"""Service ratings (好差评): evaluators at the windows, visits invited to rate, ratings and bad-review cases."""
from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models import PkMixin, TimestampMixin, UTCDateTime

# The five levels of GB/T 39734, best first; the last two are bad reviews (差评).
LEVELS = {1: "非常满意", 2: "满意", 3: "基本满意", 4: "不满意", 5: "非常不满意"}
BAD_LEVELS = (4, 5)
CHANNELS = {"window": "窗口评价器", "online": "网上评价"}


def split_tags(text: str) -> list[str]:
    """Return the tags of a tag set's text, one a line."""
    return [t.strip() for t in text.splitlines() if t.strip()]


class Evaluator(TimestampMixin, db.Model):
    """An evaluator device (评价器) facing the public at a window, opened by its secret token, no login."""

    __tablename__ = "rating_evaluator"
    __audit_hidden__ = ("token",)

    hall_id: Mapped[int] = mapped_column(ForeignKey("hall.id"), index=True)
    window_id: Mapped[int] = mapped_column(ForeignKey("window.id"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    token: Mapped[str] = mapped_column(String(64), unique=True)
    poll_seconds: Mapped[int] = mapped_column(default=3)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    window = relationship("Window")

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class TapCount(db.Model):
    """The taps an evaluator sent in its current minute, shared by every app server (the flood limit)."""

    __tablename__ = "rating_tap_count"
    __audit__ = False  # a counter that refuses floods; the ratings it lets through are audited

    evaluator_id: Mapped[int] = mapped_column(ForeignKey("rating_evaluator.id"), primary_key=True)
    minute: Mapped[int]  # minutes since the epoch
    taps: Mapped[int]


class MonthFigure(db.Model):
    """The hall's counts of the current month, kept by every commit that changes a visit or a rating.

    What the hall screen shows (本月好评率) is one row away; it changes only when a rating does.
    """

    __tablename__ = "rating_month_figure"
    __audit__ = False  # derived from the audited ratings and kept with them

    hall_id: Mapped[int] = mapped_column(ForeignKey("hall.id"), primary_key=True)
    month: Mapped[date]  # the month's first day
    visits: Mapped[int] = mapped_column(default=0)  # visits invited at the windows and online ratings
    unrated: Mapped[int] = mapped_column(default=0)  # visits invited and (not yet) rated
    good: Mapped[int] = mapped_column(default=0)  # rated good, every channel; voided reviews left out
    bad: Mapped[int] = mapped_column(default=0)
    counted_at: Mapped[datetime] = mapped_column(UTCDateTime)  # the last full recount


class TagSet(PkMixin, db.Model):
    """One version of the center's indicator tags for bad levels (评价指标); a change is a new version."""

    __tablename__ = "rating_tag_set"
    __table_args__ = (UniqueConstraint("hall_id", "version"),)

    hall_id: Mapped[int] = mapped_column(ForeignKey("hall.id"), index=True)
    version: Mapped[int]
    tags: Mapped[str] = mapped_column(Text)  # one tag a line
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    @property
    def tag_list(self) -> list[str]:
        return split_tags(self.tags)


class Invitation(PkMixin, db.Model):
    """A visit just served that the clerk invited to rate (一次一评); unrated once it expires or is superseded."""

    __tablename__ = "rating_invitation"

    hall_id: Mapped[int] = mapped_column(ForeignKey("hall.id"), index=True)
    window_id: Mapped[int] = mapped_column(ForeignKey("window.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"), index=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    invited_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    day: Mapped[date] = mapped_column(index=True)

    window = relationship("Window")
    staff = relationship("User")


class Rating(PkMixin, db.Model):
    """One rating of one visit or one case (好差评); the rater's name and phone are shown masked."""

    __tablename__ = "rating"
    # An imported online rating's key is its channel and 办件编号: importing the same export again adds nothing.
    __table_args__ = (UniqueConstraint("hall_id", "key"),)
    __audit_hidden__ = ("rater_name", "rater_phone")

    hall_id: Mapped[int] = mapped_column(ForeignKey("hall.id"), index=True)
    invitation_id: Mapped[int | None] = mapped_column(ForeignKey("rating_invitation.id"), unique=True)
    channel: Mapped[str] = mapped_column(String(12), default="window")
    case_number: Mapped[str | None] = mapped_column(String(60))  # 办件编号 of an online rating
    item_code: Mapped[str] = mapped_column(String(60), default="")  # 事项编码
    item_name: Mapped[str] = mapped_column(String(120), default="")
    key: Mapped[str | None] = mapped_column(String(120))
    import_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"), index=True)
    window_id: Mapped[int | None] = mapped_column(ForeignKey("window.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"), index=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    level: Mapped[int]
    tags: Mapped[str] = mapped_column(Text, default="")  # one tag a line
    tag_set_id: Mapped[int | None] = mapped_column(ForeignKey("rating_tag_set.id"))
    text: Mapped[str] = mapped_column(String(200), default="")
    rater_name: Mapped[str] = mapped_column(String(40), default="")
    rater_phone: Mapped[str] = mapped_column(String(20), default="")
    rated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    day: Mapped[date] = mapped_column(index=True)

    window = relationship("Window")
    staff = relationship("User")
    department = relationship("Department")

    @property
    def level_label(self) -> str:
        return LEVELS[self.level]

    @property
    def bad(self) -> bool:
        return self.level in BAD_LEVELS

    @property
    def tag_list(self) -> list[str]:
        return [t for t in self.tags.splitlines() if t]


# A bad review's case (差评整改): each state waits for one step; every step is a CaseStep row.
STATES = {"verify": "待核实", "classify": "待分类", "rectify": "整改中", "callback": "待回访",
          "appealed": "申诉中", "closed": "已办结", "void": "差评无效"}
OPEN_STATES = ("verify", "classify", "rectify", "callback")
KINDS = {"fix_now": "立行立改", "deadline": "限期整改", "explain": "解释说明", "coordinate": "综合协调"}
# What a unit asks the center to approve (审批): the case waits in its state while one is pending.
REQUESTS = {"extend": "延期", "coordinate": "综合协调", "unable": "无法整改"}
ACTIONS = {"open": "差评生成", "verify": "核实", "classify": "分类", "rectify": "整改", "callback": "回访",
           "appeal": "申诉", "uphold": "申诉成立", "refuse": "申诉不成立", "extend": "延期",
           "followup": "追评", "close": "办结", "request": "申请", "approve": "批准", "deny": "不批准"}


class RatingCase(TimestampMixin, db.Model):
    """The rectification of one bad review (差评整改) by the window's unit, from 核实 to 办结."""

    __tablename__ = "rating_case"

    hall_id: Mapped[int] = mapped_column(ForeignKey("hall.id"), index=True)
    rating_id: Mapped[int] = mapped_column(ForeignKey("rating.id"), unique=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"), index=True)
    state: Mapped[str] = mapped_column(String(12), default="verify", index=True)
    kind: Mapped[str] = mapped_column(String(12), default="")
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # when the step it waits for is due
    extended: Mapped[bool] = mapped_column(default=False)
    pending: Mapped[str] = mapped_column(String(12), default="")  # a request (REQUESTS) awaiting the center
    unable: Mapped[bool] = mapped_column(default=False)  # 无法整改, approved by the center
    unit_event_id: Mapped[int | None] = mapped_column(ForeignKey("score_event.id"))
    staff_event_id: Mapped[int | None] = mapped_column(ForeignKey("score_event.id"))

    rating = relationship("Rating")
    department = relationship("Department")
    steps = relationship("CaseStep", order_by="CaseStep.id", back_populates="case")

    @property
    def state_label(self) -> str:
        return STATES[self.state]

    @property
    def kind_label(self) -> str:
        return KINDS.get(self.kind, "")

    @property
    def pending_label(self) -> str:
        return REQUESTS.get(self.pending, "")

    @property
    def open(self) -> bool:
        return self.state in OPEN_STATES

    def overdue(self, now: datetime) -> bool:
        """Say whether the step the case waits for is past its deadline."""
        return self.open and self.due_at is not None and self.due_at < now


class CaseStep(PkMixin, db.Model):
    """One step of a case, as it was done (never edited): who, when, what, and the state it left."""

    __tablename__ = "rating_case_step"
    __pulse_parent__ = "case"  # the inbox version moved on is its case's hall's (inbox/pulse.py)

    case_id: Mapped[int] = mapped_column(ForeignKey("rating_case.id"), index=True)
    action: Mapped[str] = mapped_column(String(12))
    by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    note: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(12), default="")
    level: Mapped[int | None]  # the rater's 追评
    from_state: Mapped[str] = mapped_column(String(12), default="")
    to_state: Mapped[str] = mapped_column(String(12), default="")
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the deadline the step set
    late: Mapped[bool] = mapped_column(default=False)  # done after the deadline it was due by

    case = relationship("RatingCase", back_populates="steps")
    by = relationship("User")

    @property
    def action_label(self) -> str:
        if self.action in ("request", "approve", "deny"):
            return f"{ACTIONS[self.action]}{REQUESTS[self.kind]}"
        return ACTIONS[self.action]


PRAISE_KINDS = {"thanks_letter": "表扬信、感谢信、锦旗", "media_praise": "媒体表扬"}


class Praise(PkMixin, db.Model):
    """A praise of a window unit or a staff member (表扬信、锦旗、媒体表扬), with its evidence and its bonus."""

    __tablename__ = "rating_praise"

    hall_id: Mapped[int] = mapped_column(ForeignKey("hall.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"), index=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    received_on: Mapped[date]
    source: Mapped[str] = mapped_column(String(100))  # who praised: 群众来信, a newspaper
    summary: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    unit_event_id: Mapped[int | None] = mapped_column(ForeignKey("score_event.id"))
    staff_event_id: Mapped[int | None] = mapped_column(ForeignKey("score_event.id"))

    department = relationship("Department")
    staff = relationship("User", foreign_keys=[staff_id])
    recorded_by = relationship("User", foreign_keys=[recorded_by_id])

    @property
    def kind_label(self) -> str:
        return PRAISE_KINDS[self.kind]
