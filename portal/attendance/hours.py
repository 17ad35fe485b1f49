"""Office hours (作息时间) of a day from the rulebook: each half day's start, end, and when late and early begin."""
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from ..rulebook import service as rules

HALVES = ("am", "pm")
HALF_LABELS = {"am": "上午", "pm": "下午"}
_MINUTE = timedelta(minutes=1)


@dataclass(frozen=True)
class HalfDay:
    """One block of a working day: when one must be in and out, and the grace before late or early counts."""

    half: str
    due_in: datetime
    due_out: datetime
    late_grace: timedelta
    early_grace: timedelta

    def late_minutes(self, punch: datetime) -> int:
        """Return the minutes a sign-in is late (0 if within the grace)."""
        late_from = self.due_in + self.late_grace
        if punch <= late_from:
            return 0  # the usual case, decided without truncating the punch to its minute
        at = punch.replace(second=0, microsecond=0)
        return _minutes(at - self.due_in) if at > late_from else 0

    def early_minutes(self, punch: datetime) -> int:
        """Return the minutes a sign-out is early (0 unless at least the rulebook's minutes early)."""
        if punch >= self.due_out + _MINUTE:
            return 0  # the usual case: its minute cannot start before the end
        early = self.due_out - punch.replace(second=0, microsecond=0)
        return _minutes(early) if early > timedelta(0) and early >= self.early_grace else 0


def _minutes(delta: timedelta) -> int:
    return int(delta.total_seconds() // 60)


def day_hours(day: date) -> dict[str, HalfDay]:
    """Return the day's two blocks, summer hours and the arrive-early / leave-late variant applied."""
    blocks = rules.office_hours(day)
    before = timedelta(minutes=rules.get("attendance.arrive_early_minutes"))
    after = timedelta(minutes=rules.get("attendance.leave_late_minutes"))
    early = timedelta(minutes=rules.get("attendance.early_leave_minutes"))
    grace = {"am": rules.get("attendance.late_after_minutes"),
             "pm": rules.get("attendance.afternoon_late_after_minutes")}
    return {half: HalfDay(half, datetime.combine(day, start) - before, datetime.combine(day, end) + after,
                          timedelta(minutes=grace[half]), early)
            for half, (start, end) in blocks.items()}


def noon(hours: dict[str, HalfDay]) -> datetime:
    """Return the moment between the blocks that sorts a punch into the morning or the afternoon."""
    return hours["am"].due_out + (hours["pm"].due_in - hours["am"].due_out) / 2


def punches_per_day() -> int:
    """Return how many punches the hall requires a day (2: in and out; 4: in and out each half day)."""
    return int(rules.get("attendance.punches_per_day"))


def end_of_day(day: date) -> time:
    """Return when the day's last block ends."""
    return day_hours(day)["pm"].due_out.time()
