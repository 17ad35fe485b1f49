"""The desk (值班台): the hall at a glance, computed in a few fixed queries."""
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, lazyload

from .. import clock
from ..auth.models import User
from ..extensions import db
from ..org.models import Window
from . import checks, service
from .leave import is_overdue
from .models import OPEN_STATES, STEP_ORDER, STEPS, DutyLogItem, ShortLeave

WINDOW_STATES = {"staffed": "在岗", "covered": "B岗替岗", "empty": "无人", "issue": "有事项"}


@dataclass
class WindowCell:
    """One window on the desk grid, coloured by its state today."""

    id: int
    number: int
    name: str
    state: str
    note: str = ""

    @property
    def label(self) -> str:
        return WINDOW_STATES[self.state]


SHOWN_OPEN_ITEMS = 12


def _open_items(hall_id: int):
    """Return the newest open log items (major first) with counts by state and by window.

    The counts come from one grouped query and only the items shown are loaded, so a backlog of open
    items costs the desk nothing more.
    """
    open_items = (DutyLogItem.hall_id == hall_id, DutyLogItem.state.in_(OPEN_STATES))
    rows = db.session.execute(select(DutyLogItem.state, DutyLogItem.window_id, func.count())
                              .where(*open_items).group_by(DutyLogItem.state, DutyLogItem.window_id)).all()
    by_state = {s: 0 for s in STEP_ORDER[:-1]}
    by_window: dict = {}
    for state, window_id, n in rows:
        by_state[state] += n
        if window_id:
            by_window[window_id] = by_window.get(window_id, 0) + n
    items = db.session.execute(select(DutyLogItem).where(*open_items)
                               .order_by(DutyLogItem.major.desc(), DutyLogItem.id.desc())
                               .limit(SHOWN_OPEN_ITEMS)).scalars().all()
    return items, by_state, by_window


def live(hall_id: int) -> dict:
    """Return what the desk's self-refreshing part shows: grid, counts, checks, slips out."""
    today, now = clock.today(), clock.now()
    items, by_state, by_window = _open_items(hall_id)
    slips = db.session.execute(select(ShortLeave).where(
        ShortLeave.hall_id == hall_id, ShortLeave.returned_at.is_(None), ShortLeave.closed_at.is_(None))
        .options(joinedload(ShortLeave.user).options(lazyload(User.role_rows)),
                 joinedload(ShortLeave.covered_by).options(lazyload(User.role_rows)))
        .order_by(ShortLeave.out_at)).unique().scalars().all()
    on_leave = service.away_now(hall_id, now)
    away = {s.user_id for s in slips} | on_leave
    windows = db.session.execute(select(Window.id, Window.number, Window.name, Window.a_post_id, Window.b_post_id)
                                 .where(Window.hall_id == hall_id, Window.active.is_(True))
                                 .order_by(Window.number)).all()
    grid = [_cell(w, away, by_window, on_leave) for w in windows]
    # Each open state, counted, with the step it waits for: 待报告（已登记）.
    counts = [(STEPS[s], by_state[s], s, STEPS[STEP_ORDER[i + 1]]) for i, s in enumerate(STEP_ORDER[:-1])]
    return {"grid": grid, "counts": counts,
            "open_total": sum(by_state.values()), "open_items": items, "checks": checks.status(hall_id, today),
            "slips": [(s, is_overdue(s, now)) for s in slips], "now": now,
            "overdue": sum(1 for s in slips if is_overdue(s, now))}


def _cell(w, away, by_window, on_leave=frozenset()) -> WindowCell:
    posts = [p for p in (w.a_post_id, w.b_post_id) if p]
    present = [p for p in posts if p not in away]
    if by_window.get(w.id):
        state, note = "issue", f"{by_window[w.id]} 项"
    elif not present:
        state, note = "empty", ""
    elif w.a_post_id and w.a_post_id in away:
        state, note = "covered", "请假" if w.a_post_id in on_leave else ""
    else:
        state, note = "staffed", ""
    return WindowCell(w.id, w.number, w.name, state, note)


def etag(hall_id: int, version: int, fragment: bool) -> str:
    """Return the poll's entity tag: the desk version and the minute (late and overdue move with time)."""
    return f'duty-{hall_id}-{version}-{clock.now():%Y%m%d%H%M}-{"f" if fragment else "p"}'
