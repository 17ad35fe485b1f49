"""Monthly complaint figures by unit, channel or kind (投诉统计)."""
from collections import defaultdict
from dataclasses import dataclass, fields
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from .. import clock
from ..extensions import db
from ..org.models import Department
from ..rulebook import calendar
from ..rulebook import service as rules
from ..scores.service import month_range
from . import deadlines
from .models import CHANNELS, KINDS, VERIFIED, Complaint

DIMENSIONS = {"unit": "按单位", "channel": "按渠道", "kind": "按类别"}
SATISFIED = ("satisfied", "basic")


@dataclass
class Figures:
    """One row of the month's figures."""

    label: str
    received: int = 0
    accepted_in_time: int = 0
    returned: int = 0
    replied_in_time: int = 0
    overdue_days: int = 0
    verified: int = 0
    callbacks: int = 0
    satisfied: int = 0

    def add(self, other: "Figures") -> None:
        for f in fields(self)[1:]:
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    @property
    def satisfaction(self) -> str:
        return f"{100 * self.satisfied // self.callbacks}%" if self.callbacks else "—"


def _accepted_in_time(case: Complaint) -> int:
    n, sent = 0, None
    for s in case.steps:
        if s.step == "sent":
            sent = s
        elif s.step == "accepted" and sent is not None:
            n += s.at <= deadlines.close_of(deadlines.day_of(sent.at), rules.get("complaints.accept_days"))
    return n


def _reply_figures(case: Complaint, today: date) -> tuple[int, int]:
    """Return (replies in time, overdue working days) over every round of the case."""
    in_time = overdue = 0
    for round_ in range(1, case.round + 1):
        due = deadlines.of(case, today, round_).reply_by
        reply = deadlines.last(deadlines.round_steps(case, round_), "replied")
        if due is None:
            continue
        end = deadlines.day_of(reply.at) if reply else today
        in_time += bool(reply and reply.at <= due)
        overdue += len(calendar.working_days(deadlines.day_of(due) + timedelta(days=1), end))
    return in_time, overdue


def of_case(case: Complaint, today: date) -> Figures:
    """Return one case's contribution to the figures."""
    in_time, overdue = _reply_figures(case, today)
    callbacks = [s for s in case.steps if s.step == "callback"]
    return Figures("", 1, _accepted_in_time(case), sum(s.step == "returned" for s in case.steps), in_time, overdue,
                   sum(s.step == "verified" and s.value in VERIFIED for s in case.steps), len(callbacks),
                   sum(s.value in SATISFIED for s in callbacks))


def month(hall_id: int, year: int, month_: int, by: str = "unit") -> list[Figures]:
    """Return the figures of the cases received in a month, one row per unit, channel or kind, and a total."""
    first, after = month_range(year, month_)
    tz = clock.hall_tz()
    cases = db.session.execute(select(Complaint).where(
        Complaint.hall_id == hall_id, Complaint.state != "withdrawn",  # a reversed 12345 import's cases
        Complaint.received_at >= datetime.combine(first, time(), tz),
        Complaint.received_at < datetime.combine(after, time(), tz)).options(selectinload(Complaint.steps))).scalars()
    names = _labels(hall_id, by)
    rows, total, today = defaultdict(lambda: Figures("")), Figures("合计"), clock.today()
    for case in cases:
        key = (case.unit_id or case.department_id) if by == "unit" else getattr(case, by)
        one = of_case(case, today)
        rows[key].add(one)
        total.add(one)
    out = []
    for key, row in rows.items():
        row.label = names.get(key, "（未派单）" if key is None else str(key))
        out.append(row)
    return sorted(out, key=lambda r: r.label) + [total]


def _labels(hall_id: int, by: str) -> dict:
    if by == "channel":
        return CHANNELS
    if by == "kind":
        return KINDS
    return {d.id: d.name for d in db.session.execute(select(Department).where(Department.hall_id == hall_id)).scalars()}
