"""Cases on the duty desk: today's due and overdue cases per window, and the leader's reminders (提醒)."""
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload, lazyload

from .. import clock
from ..auth.models import User
from ..extensions import db
from ..org.models import Window
from ..records import hall_record
from ..refusals import Refusal
from .deadlines import DUE_TODAY, OVERDUE, WARN_STATES
from .models import CaseReminder
from .service import Case, open_cases, windows


@dataclass
class WindowCases:
    """A window's cases due today or overdue, and today's reminders to it."""

    window: Window
    cases: list = field(default_factory=list)
    reminders: list = field(default_factory=list)

    @property
    def overdue(self) -> int:
        return sum(1 for c in self.cases if c.deadline.state == OVERDUE)


def panel(hall_id: int, today: date | None = None) -> list[WindowCases]:
    """Return the windows with cases due today or overdue, most overdue first (two queries, whatever the count)."""
    today = today or clock.today()
    rows: dict[int, WindowCases] = {}
    for c in open_cases(hall_id, today):
        if c.deadline.state in (DUE_TODAY, OVERDUE):
            rows.setdefault(c.window_id, WindowCases(c.window)).cases.append(c)
    for r in reminders_since(hall_id, _start(today)):
        if r.window_id in rows:
            rows[r.window_id].reminders.append(r)
    return sorted(rows.values(), key=lambda w: (-w.overdue, w.window.number))


def grid_marks(hall_id: int, rows: list[WindowCases]) -> list[tuple[int, int]]:
    """Return (window id, overdue cases) for every active window: the desk grid's marks, set from this panel.

    The panel sends them to the grid's cells (an out-of-band swap), so the grid's poll, the desk's hot
    path, reads nothing more, and the grid and the panel always say the same.
    """
    overdue = {r.window.id: r.overdue for r in rows}
    return [(w.id, overdue.get(w.id, 0)) for w in windows(hall_id)]


def _start(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=clock.hall_tz())


def reminders_since(hall_id: int, since: datetime) -> list[CaseReminder]:
    """Return the hall's reminders to windows since a moment, newest first."""
    return db.session.execute(select(CaseReminder).where(CaseReminder.hall_id == hall_id,
                                                         CaseReminder.reminded_at >= since)
                              .options(joinedload(CaseReminder.reminded_by).options(lazyload(User.role_rows)),
                                       joinedload(CaseReminder.window))
                              .order_by(CaseReminder.id.desc())).scalars().all()


def warned(hall_id: int, window_id: int, today: date | None = None) -> list[Case]:
    """Return the window's cases due soon, due today or overdue."""
    return [c for c in open_cases(hall_id, today) if c.window_id == window_id and c.deadline.state in WARN_STATES]


def remind(hall_id: int, window_id: int, by, note: str = "") -> CaseReminder:
    """Record the duty leader's reminder to a window about its cases near or past their deadline."""
    window = hall_record(Window, window_id, hall_id=hall_id)
    named = warned(hall_id, window.id)
    if not named:
        raise Refusal("这个窗口没有临近或超过期限的办件，无需提醒", 409)
    row = CaseReminder(hall_id=hall_id, window_id=window.id, numbers=",".join(c.number for c in named),
                       note=(note or "").strip()[:200], reminded_by_id=by.id, reminded_at=clock.now())
    db.session.add(row)
    db.session.commit()
    return row
