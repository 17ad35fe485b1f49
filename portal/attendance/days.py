"""The day's result (考勤结果) per person and half day, computed from the punches and the working-day calendar."""
from dataclasses import dataclass, replace
from datetime import date, datetime

from . import hours as office

STATUS_LABELS = {"present": "出勤", "absent": "旷工", "missed": "缺卡", "off": "休息", "pending": "未到",
                 "leave": "请假"}
MARKS = {"present": "✓", "absent": "旷", "missed": "缺", "off": "休", "pending": "·", "leave": "假"}


@dataclass(frozen=True)
class HalfResult:
    """One person's half day: present, absent, a missed punch, off or not yet due; late and early minutes."""

    status: str
    late: int = 0
    early: int = 0
    punch_in: datetime | None = None
    punch_out: datetime | None = None
    leave: str = ""  # the kind of leave (事假, 病假…) that covers the half day
    short: bool = False  # a short leave at the desk (临时外出) fell in the half day

    @property
    def mark(self) -> str:
        """Return the one-character mark of the month grid."""
        if self.late:
            return "迟"
        if self.early:
            return "早"
        return MARKS[self.status]

    @property
    def plain(self) -> bool:
        """Say whether the grid's mark says it all (the page's legend gives its word): no minutes, leave or outing."""
        return not (self.late or self.early or self.short) and self.status != "leave"

    @property
    def label(self) -> str:
        """Return the result in words, with the minutes."""
        if self.status == "leave":
            return f"请假（{self.leave}）"
        words = [STATUS_LABELS[self.status]] if not (self.late or self.early) or self.status != "present" else []
        words += [f"迟到 {self.late} 分钟"] if self.late else []
        words += [f"早退 {self.early} 分钟"] if self.early else []
        words += ["临时外出"] if self.short else []
        return "，".join(words)


# A result without punches is the same for everyone: one shared (frozen) value each.
OFF, PENDING, ABSENT = HalfResult("off"), HalfResult("pending"), HalfResult("absent")


def _judge(block: office.HalfDay, punch_in, punch_out, now: datetime, needs_in=True, needs_out=True) -> HalfResult:
    late = block.late_minutes(punch_in) if punch_in and needs_in else 0
    if now < block.due_out:
        return HalfResult("present" if punch_in or punch_out else "pending", late, 0, punch_in, punch_out)
    if punch_in is None and punch_out is None:
        return ABSENT
    early = block.early_minutes(punch_out) if punch_out and needs_out else 0
    complete = (punch_in or not needs_in) and (punch_out or not needs_out)
    return HalfResult("present" if complete else "missed", late, early, punch_in, punch_out)


def _in_out(block: office.HalfDay, punches: list[datetime]):
    if not punches:
        return None, None
    if len(punches) > 1:
        return punches[0], punches[-1]
    middle = block.due_in + (block.due_out - block.due_in) / 2
    return (punches[0], None) if punches[0] < middle else (None, punches[0])


def day_result(day: date, punches: list[datetime], working: bool, now: datetime, per_day: int,
               blocks: dict | None = None, leave: dict | None = None, shorts=()) -> dict:
    """Return {"am": HalfResult, "pm": HalfResult} for one person's day.

    blocks: the day's hours, if known; leave: {half: kind label} of approved leave; shorts: (out, back)
    times of the day's short leaves at the desk, which excuse an early sign-out that falls inside them.
    """
    results = _punch_result(day, punches, working, now, per_day, blocks)
    if not working or not (leave or shorts):
        return results
    blocks = blocks or office.day_hours(day)
    return {half: _excused(r, blocks[half], (leave or {}).get(half), shorts) for half, r in results.items()}


def _excused(result: HalfResult, block: office.HalfDay, kind: str | None, shorts) -> HalfResult:
    """Apply leave (the half is 请假, not 旷工) and the desk's short leave to one half day."""
    if kind:
        return HalfResult("leave", leave=kind, punch_in=result.punch_in, punch_out=result.punch_out)
    inside = [(o, b) for o, b in shorts if o < block.due_out and b > block.due_in]
    if not inside:
        return result
    early = 0 if any(o <= block.due_out <= b for o, b in inside) else result.early
    status = "present" if result.status == "missed" and not early and result.punch_in else result.status
    return replace(result, status=status, early=early, short=True)


def _punch_result(day, punches, working, now, per_day, blocks) -> dict:
    if not working:
        return {"am": OFF, "pm": OFF}
    blocks = blocks or office.day_hours(day)
    if now < blocks["am"].due_in:
        return {"am": PENDING, "pm": PENDING}
    punches = sorted(punches)
    if per_day == 2:
        return _two_punches(blocks, punches, now)
    split = office.noon(blocks)
    halves = {"am": [p for p in punches if p < split], "pm": [p for p in punches if p >= split]}
    return {half: _judge(blocks[half], *_in_out(blocks[half], halves[half]), now) for half in office.HALVES}


def _two_punches(blocks: dict, punches: list[datetime], now: datetime) -> dict:
    """A two-punch hall: the morning is judged by the sign-in, the afternoon by the sign-out."""
    split = office.noon(blocks)
    first = punches[0] if punches and (len(punches) > 1 or punches[0] < split) else None
    last = punches[-1] if punches and (len(punches) > 1 or punches[0] >= split) else None
    return {"am": _judge(blocks["am"], first, last, now, needs_out=False),
            "pm": _judge(blocks["pm"], first, last, now, needs_in=False)}
