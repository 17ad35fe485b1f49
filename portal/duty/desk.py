"""The desk (值班台): the hall at a glance, computed in a few fixed queries of columns."""
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import bindparam, func, literal, literal_column, null, select, union_all

from .. import clock
from ..auth.models import User
from ..extensions import db
from ..org.models import Window
from ..rawquery import DriverStatement, together
from . import checks, service
from .leave import is_overdue
from .models import OPEN_STATES, STEP_ORDER, STEPS, DutyCheck, DutyLogItem, LogLabels, ShortLeave
from .service import Person

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


@dataclass(frozen=True, slots=True)
class OpenItem(LogLabels):
    """An open log item as the desk lists it."""

    id: int
    kind: str
    state: str
    major: bool
    text: str


class Slip(NamedTuple):
    """A short leave slip still out, as the desk lists it (is_overdue reads it like a ShortLeave)."""

    user: Person
    covered_by: Person | None
    out_at: datetime
    due_at: datetime
    returned_at: None = None
    closed_at: None = None


SHOWN_OPEN_ITEMS = 12
# The desk's statements are built once: only their parameters change from one request to the next.
_item, _slip, _window, _check = (m.__table__ for m in (DutyLogItem, ShortLeave, Window, DutyCheck))
_person, _cover = User.__table__.alias("person"), User.__table__.alias("cover")
# The open states written into the statement (not bound), so that both databases use ix_duty_log_item_open.
_OPEN = (_item.c.hall_id == bindparam("hall_id"), _item.c.state.in_([literal_column(f"'{s}'") for s in OPEN_STATES]))


def _open_statement():
    """The newest open items shown and the counts by state and window (rows without an id), in one statement."""
    counted = select(_item.c.state, _item.c.window_id, func.count().label("n"), null().label("id"),
                     null().label("kind"), null().label("major"), null().label("text")).where(*_OPEN).group_by(
        _item.c.state, _item.c.window_id)
    shown = (select(_item.c.state, _item.c.window_id, literal(0).label("n"), _item.c.id, _item.c.kind, _item.c.major,
                    _item.c.text).where(*_OPEN).order_by(_item.c.major.desc(), _item.c.id.desc())
             .limit(SHOWN_OPEN_ITEMS).subquery())
    both = union_all(select(shown), counted)  # the items first: their column types hold for the counts
    return both.order_by(both.selected_columns.major.desc(), both.selected_columns.id.desc())


_OPEN_ITEMS = DriverStatement(_open_statement())
_SLIPS_OUT = DriverStatement(
    select(_slip.c.user_id, _person.c.name, _slip.c.covered_by_id, _cover.c.name.label("cover_name"),
           _slip.c.out_at, _slip.c.due_at)
    .select_from(_slip.outerjoin(_person, _person.c.id == _slip.c.user_id)
                 .outerjoin(_cover, _cover.c.id == _slip.c.covered_by_id))
    .where(_slip.c.hall_id == bindparam("hall_id"), _slip.c.returned_at.is_(None), _slip.c.closed_at.is_(None))
    .order_by(_slip.c.out_at))
_WINDOWS = DriverStatement(
    select(_window.c.id, _window.c.number, _window.c.name, _window.c.a_post_id, _window.c.b_post_id)
    .where(_window.c.hall_id == bindparam("hall_id"), _window.c.active.is_(True)).order_by(_window.c.number))
_CHECKS_DONE = DriverStatement(select(_check.c.kind, _check.c.done_at, _check.c.late).where(
    _check.c.hall_id == bindparam("hall_id"), _check.c.day == bindparam("day")))


def _open_items(rows: list):
    """Return the newest open log items (major first) with counts by state and by window.

    The counts come from one grouped query and only the items shown are loaded, so a backlog of open
    items costs the desk nothing more.
    """
    by_state = {s: 0 for s in STEP_ORDER[:-1]}
    by_window: dict = {}
    items = []
    for state, window_id, n, item_id, kind, major, text in rows:
        if item_id is not None:
            items.append(OpenItem(item_id, kind, state, major, text))
            continue
        by_state[state] += n
        if window_id:
            by_window[window_id] = by_window.get(window_id, 0) + n
    return items, by_state, by_window


def _slips(rows: list) -> list[Slip]:
    return [Slip(Person(r.user_id, r.name), Person(r.covered_by_id, r.cover_name) if r.covered_by_id else None,
                 r.out_at, r.due_at) for r in rows]


def live(hall_id: int) -> dict:
    """Return what the desk's self-refreshing part shows: grid, counts, checks, slips out."""
    today, now = clock.today(), clock.now()
    # The desk's own four reads at once: one round trip on PostgreSQL.
    opened, slips_out, windows, checked = together(db.session.connection(), [
        (_OPEN_ITEMS, {"hall_id": hall_id}), (_SLIPS_OUT, {"hall_id": hall_id}), (_WINDOWS, {"hall_id": hall_id}),
        (_CHECKS_DONE, {"hall_id": hall_id, "day": today})])
    items, by_state, by_window = _open_items(opened)
    slips = _slips(slips_out)
    on_leave = service.away_now(hall_id, now)
    away = {s.user.id for s in slips} | on_leave
    grid = [_cell(w, away, by_window, on_leave) for w in windows]
    # Each open state, counted, with the step it waits for: 待报告（已登记）.
    counts = [(STEPS[s], by_state[s], s, STEPS[STEP_ORDER[i + 1]]) for i, s in enumerate(STEP_ORDER[:-1])]
    done = {r.kind: r for r in checked}
    overdue = [is_overdue(s, now) for s in slips]
    return {"grid": grid, "counts": counts,
            "open_total": sum(by_state.values()), "open_items": items, "checks": checks.status(hall_id, today, done),
            "slips": list(zip(slips, overdue, strict=True)), "now": now, "overdue": sum(overdue)}


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
