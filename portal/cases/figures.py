"""Figures of cases (限时办结统计): by window, department and month, and the year's overdue count."""
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import or_

from ..scores.service import month_range
from .models import CaseReport
from .service import Case, cases


@dataclass
class Figures:
    """One row of the month's figures: taken, finished, early, on the spot, overdue, average days."""

    name: str
    taken: int = 0
    finished: int = 0
    early: int = 0
    on_the_spot: int = 0
    overdue: int = 0
    used_days: int = 0

    @property
    def average_days(self) -> str:
        return f"{self.used_days / self.finished:.1f}" if self.finished else "—"

    def add(self, case: Case, start: date, end: date) -> None:
        """Count one case into the row: taken by its acceptance, finished and overdue by their own days."""
        if start <= case.accepted_at.date() < end:
            self.taken += 1
        if case.finished_at and start <= case.finished_at.date() < end:
            self.finished += 1
            self.used_days += case.deadline.used_days or 0
            self.on_the_spot += case.on_the_spot
            self.early += case.early and not case.on_the_spot
        if case.overdue and start <= case.deadline.due < end:
            self.overdue += 1


def _touching(hall_id: int, start: date, end: date, *where, today=None) -> list[Case]:
    """Cases taken before the period ends that were still open when it began."""
    return cases(hall_id, CaseReport.accepted_at < datetime.combine(end, datetime.min.time()),
                 or_(CaseReport.finished_at.is_(None),
                     CaseReport.finished_at >= datetime.combine(start, datetime.min.time())), *where, today=today)


def month(hall_id: int, year: int, month_no: int, today: date | None = None) -> dict:
    """Return the month's figures by window and by department, the hall's total and its overdue cases."""
    start, end = month_range(year, month_no)
    found = _touching(hall_id, start, end, today=today)
    by_window: dict = {}
    by_dept: dict = {}
    total = Figures("合计")
    for c in found:
        w = c.window
        by_window.setdefault(w.id, Figures(f"{w.number}号 {w.name}")).add(c, start, end)
        by_dept.setdefault(w.department_id, Figures(w.department.name)).add(c, start, end)
        total.add(c, start, end)
    overdue = [c for c in found if c.overdue and start <= c.deadline.due < end]
    keep = [f for f in by_window.values()]
    return {"year": year, "month": month_no, "windows": keep, "departments": list(by_dept.values()),
            "total": total, "overdue_cases": sorted(overdue, key=lambda c: (c.window.number, c.deadline.due))}


def overdue_count(hall_id: int, user_id: int, year: int, today: date | None = None) -> int:
    """Return how many of the person's cases fell due in the year and went overdue (for the excellence rule)."""
    return overdue_counts(hall_id, year, today, CaseReport.clerk_id == user_id).get(user_id, 0)


def overdue_counts(hall_id: int, year: int, today: date | None = None, *where) -> dict[int, int]:
    """Return each clerk's overdue cases of the year, by person id."""
    start, end = date(year, 1, 1), date(year + 1, 1, 1)
    found = _touching(hall_id, start, end, CaseReport.clerk_id.is_not(None), *where, today=today)
    return dict(Counter(c.clerk_id for c in found if c.overdue and start <= c.deadline.due < end))
