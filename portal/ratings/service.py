"""What other capabilities read of the ratings: the month's good rate (本月好评率) for the hall screen.

The counts are kept in one row per hall (rating_month_figure), in the same transaction as the change:
a new visit or rating adds to them with one UPDATE (the hot path: a tap on the evaluator); anything
else that moves them (a review voided on appeal, a rating removed, a new month) recounts the month
under the row's lock. A reader needs one small query, on any app server; no worker holds a copy.
"""
from collections import Counter
from functools import cache

from sqlalchemy import bindparam, event, inspect, update
from sqlalchemy.orm import Session

from .. import clock
from ..database import insert
from ..extensions import db
from ..rulebook import service as rules
from ..scores.service import month_range
from . import figures
from .models import BAD_LEVELS, Invitation, MonthFigure, Rating, RatingCase

CHANGES = "rating_month_changes"  # {hall_id: Counter of visits, unrated, good, bad; or None: recount}


def month_good_rate(hall_id: int) -> float | None:
    """Return the hall's good rate of the current month in percent, or None before its first rating."""
    row = db.session.get(MonthFigure, hall_id)
    if row is None or row.month != _month()[0]:
        return None
    as_good = rules.get("evaluation.unrated_counts_as_satisfied", hall_id)
    return figures.Tally(good=row.good + (row.unrated if as_good else 0), bad=row.bad).good_rate


def _month():
    today = clock.today()
    return month_range(today.year, today.month)


def recount(session: Session, hall_id: int) -> None:
    """Recount the hall's current month into its row; the row's lock makes concurrent commits count in turn."""
    now, (start, end) = clock.now(), _month()
    session.execute(insert(MonthFigure).values(hall_id=hall_id, month=start, visits=0, unrated=0, good=0, bad=0,
                                               counted_at=now)
                    .on_conflict_do_update(index_elements=[MonthFigure.hall_id], set_={"counted_at": now}))
    tally = figures.total(hall_id, start, end, as_good=False)
    session.execute(update(MonthFigure).where(MonthFigure.hall_id == hall_id).values(
        month=start, visits=tally.visits, unrated=tally.unrated, good=tally.good, bad=tally.bad, counted_at=now))


COUNTS = ("visits", "unrated", "good", "bad")


@cache
def _adding():
    """Build, once, the UPDATE that adds to the month's row (on the table: no ORM objects to keep in step)."""
    row = MonthFigure.__table__.c
    return (update(MonthFigure.__table__).where(row.hall_id == bindparam("of_hall"), row.month == bindparam("of_month"))
            .values({row[k]: row[k] + bindparam(f"add_{k}") for k in COUNTS}))


def _add(session: Session, hall_id: int, delta: Counter) -> None:
    """Add a commit's new visits and ratings to the month's row; recount when the row is of another month."""
    # On the transaction's connection: a table statement, nothing of the session's to run for it.
    if not _added(session.connection(), hall_id, delta):
        recount(session, hall_id)


def _added(connection, hall_id: int, delta: Counter) -> bool:
    """Add to the hall's row of this month; False: it has no row of this month (a recount makes it)."""
    done = connection.execute(_adding(), {"of_hall": hall_id, "of_month": _month()[0],
                                          **{f"add_{k}": delta.get(k, 0) for k in COUNTS}})
    return done.rowcount > 0


def add_rating_on(connection, hall_id: int, day, level: int) -> bool:
    """Count a tap's rating in the month's row now, on a connection outside the session (a DriverConnection).

    False: the hall has no row of this month yet; the caller rolls back and saves the tap through the session,
    whose commit recounts the month.
    """
    delta = _rating_delta(day, level, True, *_month())
    return not any(delta.values()) or _added(connection, hall_id, delta)


def _delta(obj, start, end) -> Counter:
    """Return what a new visit or rating adds to its month (nothing outside the current month)."""
    if isinstance(obj, Invitation):
        return Counter(visits=1, unrated=1) if start <= obj.day < end else Counter()
    return _rating_delta(obj.day, obj.level, bool(obj.invitation_id), start, end)


def _rating_delta(day, level: int, invited: bool, start, end) -> Counter:
    if not start <= day < end:
        return Counter()
    grade = "bad" if level in BAD_LEVELS else "good"
    return Counter({grade: 1, "unrated": -1}) if invited else Counter({grade: 1, "visits": 1})


def add_rating(session: Session, hall_id: int, day, level: int) -> None:
    """Count a rating of an invited visit saved with a column insert (the tap) in the month's row at commit."""
    _count(session.info.setdefault(CHANGES, {}), hall_id, _rating_delta(day, level, True, *_month()))


def _count(changes: dict, hall_id: int, delta: Counter) -> None:
    if changes.get(hall_id, Counter()) is not None:  # None: the hall is recounted anyway
        changes.setdefault(hall_id, Counter()).update(delta)  # keeps negative counts


def _voided(case) -> bool:
    return "void" in (*inspect(case).attrs.state.history.added, *inspect(case).attrs.state.history.deleted)


def _note(session, _ctx) -> None:
    changes, (start, end) = session.info.setdefault(CHANGES, {}), _month()
    for obj in session.new:
        if isinstance(obj, (Invitation, Rating)):
            _count(changes, obj.hall_id, _delta(obj, start, end))
    for obj in (*session.deleted, *session.dirty):
        if isinstance(obj, (Invitation, Rating)) or (isinstance(obj, RatingCase) and _voided(obj)):
            changes[obj.hall_id] = None


def _write(session) -> None:
    if not session.info.get(CHANGES):
        return
    session.flush()
    for hall_id, delta in sorted(session.info.pop(CHANGES, {}).items()):
        if delta is None:
            recount(session, hall_id)
        elif any(delta.values()):
            _add(session, hall_id, delta)


def _forget(session) -> None:
    session.info.pop(CHANGES, None)


def listen() -> None:
    """Keep each hall's month row in every commit that changes its visits or ratings (once per process)."""
    for name, listener in (("after_flush", _note), ("before_commit", _write), ("after_rollback", _forget)):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)
