"""Deadlines of cases on the hall's working-day calendar (限时办结): due day, pauses, states."""
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from ..inbox import worktime
from ..rulebook import calendar
from ..rulebook import service as rules

ON_TIME, DUE_SOON, DUE_TODAY, OVERDUE, PAUSED = "on_time", "due_soon", "due_today", "overdue", "paused"
DONE, DONE_LATE = "done", "done_late"
STATES = {ON_TIME: "正常", DUE_SOON: "即将到期", DUE_TODAY: "今日到期", OVERDUE: "已超期", PAUSED: "补正中",
          DONE: "按时办结", DONE_LATE: "超期办结"}
OPEN_STATES = (ON_TIME, DUE_SOON, DUE_TODAY, OVERDUE, PAUSED)
WARN_STATES = (DUE_SOON, DUE_TODAY, OVERDUE)


@dataclass
class Deadline:
    """A case's deadline as of a day: when it is due, its state, days paused, used, late or left."""

    due: date
    state: str
    paused_days: int = 0
    used_days: int | None = None  # working days taken (finished cases), pauses left out
    late_days: int = 0
    left_days: int = 0

    @property
    def label(self) -> str:
        return STATES[self.state]

    @property
    def due_at(self) -> datetime:
        """Return the due moment: the close of the due day."""
        return worktime.closing(self.due)

    @property
    def describe(self) -> str:
        """Say the state in Chinese with its days (超期 2 个工作日)."""
        if self.state in (OVERDUE, DONE_LATE):
            return f"{self.label} {self.late_days} 个工作日"
        if self.state == DUE_SOON:
            return f"{self.label}（还剩 {self.left_days} 个工作日）"
        return self.label


def paused_days(accepted: date, pause_from: date | None, pause_to: date | None, today: date) -> int:
    """Count the working days the case waited for the applicant (补正), the acceptance day not included."""
    if pause_from is None:
        return 0
    start, end = max(pause_from, accepted + timedelta(days=1)), pause_to or today
    return len(calendar.working_days(start, end)) if end >= start else 0


def deadline(accepted: date, promised: int, finished: date | None, today: date,
             pause_from: date | None = None, pause_to: date | None = None, soon_days: int | None = None) -> Deadline:
    """Return a case's due day and state: promised working days after acceptance, plus the days paused."""
    paused = paused_days(accepted, pause_from, pause_to, finished or today)
    due = calendar.add_working_days(accepted, promised + paused)
    if finished is not None:
        used = max(0, calendar.working_days_between(accepted, finished) - paused)
        late = calendar.working_days_between(due, finished)
        return Deadline(due, DONE_LATE if late else DONE, paused, used, late)
    if pause_from is not None and pause_from <= today and (pause_to is None or pause_to >= today):
        return Deadline(due, PAUSED, paused)
    if today > due:
        return Deadline(due, OVERDUE, paused, late_days=calendar.working_days_between(due, today))
    if today == due:
        return Deadline(due, DUE_TODAY, paused)
    left = calendar.working_days_between(today, due)
    soon = left <= (rules.get("cases.due_soon_days") if soon_days is None else soon_days)
    return Deadline(due, DUE_SOON if soon else ON_TIME, paused, left_days=left)
