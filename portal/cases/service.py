"""The hall's cases (办件): the latest state of each, its deadline, and the case import's steps."""
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, lazyload

from .. import clock
from ..auth.models import User
from ..extensions import db
from ..imports import profiles as saved_profiles
from ..imports import service as imports
from ..imports.models import ImportBatch
from ..org.models import Window
from ..records import hall_record
from ..refusals import Refusal
from ..rulebook import calendar
from ..rulebook import service as rules
from . import deadlines, points
from .models import CaseReport
from .profiles import presets
from .spec import SPEC


@dataclass
class Case:
    """A case (办件) as its latest report has it, with its deadline as of a day."""

    report: CaseReport
    deadline: deadlines.Deadline

    def __getattr__(self, name):
        return getattr(self.report, name)

    @property
    def on_the_spot(self) -> bool:
        """Say whether a promised-time case was finished on the day it was taken (承诺件改即办件)."""
        return self.finished_at is not None and self.promised_days > 0 and self.deadline.used_days == 0

    @property
    def early(self) -> bool:
        """Say whether the case was finished in fewer working days than promised."""
        return self.finished_at is not None and (self.deadline.used_days or 0) < self.promised_days

    @property
    def overdue(self) -> bool:
        return self.deadline.state in (deadlines.OVERDUE, deadlines.DONE_LATE)


def of(report: CaseReport, today: date, soon_days: int | None = None) -> Case:
    """Return the case of a report, its deadline counted as of the day."""
    return Case(report, deadlines.deadline(
        report.accepted_at.date(), report.promised_days, report.finished_at.date() if report.finished_at else None,
        today, report.pause_from, report.pause_to, soon_days))


def _latest_ids(hall_id: int):
    return (select(func.max(CaseReport.id)).where(CaseReport.hall_id == hall_id)
            .group_by(CaseReport.number).scalar_subquery())


def cases(hall_id: int, *where, today: date | None = None, people: bool = True) -> list[Case]:
    """Return the hall's cases (each at its latest report) that match the conditions, oldest first.

    people=False reads each case's window alone (not its department's row nor its clerk's: ids only).
    """
    today = today or clock.today()
    window = joinedload(CaseReport.window)
    loads = (window.joinedload(Window.department), joinedload(CaseReport.clerk).options(lazyload(User.role_rows)))
    rows = db.session.execute(
        select(CaseReport).where(CaseReport.id.in_(_latest_ids(hall_id)), *where)
        .options(*(loads if people else (window,)))
        .order_by(CaseReport.accepted_at, CaseReport.number)).scalars().all()
    soon = rules.get("cases.due_soon_days", hall_id)
    with calendar.batch(hall_id):  # the hall's calendar, read once for all the cases, in a request or not
        return [of(r, today, soon) for r in rows]


def open_cases(hall_id: int, today: date | None = None, people: bool = True) -> list[Case]:
    """Return the hall's cases not finished yet (people=False: see cases)."""
    return cases(hall_id, CaseReport.finished_at.is_(None), today=today, people=people)


def by_number(hall_id: int, number: str, today: date | None = None) -> Case:
    """Return the hall's case of this number, or refuse with 404."""
    found = cases(hall_id, CaseReport.number == number, today=today)
    if not found:
        raise Refusal("没有这个办件", 404)
    return found[0]


def history(hall_id: int, number: str) -> list[CaseReport]:
    """Return every report of one case, oldest first (each import that changed it)."""
    return db.session.execute(select(CaseReport).where(CaseReport.hall_id == hall_id, CaseReport.number == number)
                              .order_by(CaseReport.id)).scalars().all()


def of_window(hall_id: int, window_id: int, today: date | None = None) -> list[Case]:
    """Return the window's open cases."""
    return cases(hall_id, CaseReport.finished_at.is_(None), CaseReport.window_id == window_id, today=today)


def windows(hall_id: int) -> list[Window]:
    """Return the hall's active windows, by number."""
    return db.session.execute(select(Window).where(Window.hall_id == hall_id, Window.active.is_(True))
                              .order_by(Window.number)).scalars().all()


# --- the import -----------------------------------------------------------------------------

def profiles(hall_id: int):
    """Return the case profiles the hall can import with."""
    return saved_profiles.available(hall_id, SPEC.kind, presets())


def profile(hall_id: int, name: str):
    """Return the case profile of this name, or refuse."""
    return saved_profiles.find(hall_id, SPEC.kind, name, presets())


def preview(hall_id: int, user, file_name: str, data: bytes, profile_name: str):
    """Classify an export and keep the preview until it is confirmed."""
    return imports.preview(SPEC, hall_id, user, file_name, data, profile(hall_id, profile_name))


def confirm(hall_id: int, token: str, user) -> ImportBatch:
    """Save what the preview showed, then settle the points of the cases it touched."""
    batch = imports.confirm(SPEC, hall_id, token, user)
    settle(hall_id, _numbers(batch), user)
    return batch


def reverse(batch: ImportBatch, user, reason: str):
    """Reverse a whole import (its cases go back to their earlier state) and settle their points again."""
    reversal = imports.reverse(SPEC, batch, user, reason)
    settle(batch.hall_id, _numbers(batch), user)
    return reversal


def settle(hall_id: int, numbers: list[str], by=None, today: date | None = None) -> None:
    """Bring the ledger in line with these cases as they stand (overdue, fast, corrected), then commit."""
    for i in range(0, len(numbers), 500):
        chunk = numbers[i:i + 500]
        found = {c.number: c for c in cases(hall_id, CaseReport.number.in_(chunk), today=today)}
        points.settle(hall_id, chunk, found, by)
    db.session.commit()


def sweep(hall_id: int, today: date | None = None) -> int:
    """Settle every open case of the hall (a case falls overdue with time, not only with an import)."""
    numbers = [c.number for c in open_cases(hall_id, today)]
    settle(hall_id, numbers, today=today)
    return len(numbers)


def _numbers(batch: ImportBatch) -> list[str]:
    return sorted({r["record"]["number"] for r in batch.rows if r["cls"] in SPEC.keep and r.get("record")})


def batch(hall_id: int, batch_id: int) -> ImportBatch:
    """Return one case import of the hall, or an audited 404."""
    found = hall_record(ImportBatch, batch_id, hall_id=hall_id)
    if found.kind != SPEC.kind:
        raise Refusal("没有这次导入", 404)
    return found


def kept_count(rows: list) -> int:
    """Return how many rows of a preview would be saved."""
    return sum(1 for r in rows if r["cls"] in SPEC.keep)
