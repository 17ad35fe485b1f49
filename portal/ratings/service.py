"""What other capabilities read of the ratings: the month's good rate (本月好评率) for the hall screen.

The figure is kept in one row per hall (rating_month_figure): every commit that changes a rating, a
visit or a case recounts the hall's current month before it commits, so a reader needs one small
query, on any app server, and nothing is held in a worker's memory.
"""
from sqlalchemy import event, update
from sqlalchemy.orm import Session

from .. import clock
from ..database import insert
from ..extensions import db
from ..scores.service import month_range
from . import figures
from .models import Invitation, MonthFigure, Rating, RatingCase

WATCHED = (Rating, Invitation, RatingCase)
TOUCHED = "rating_month_halls"


def month_good_rate(hall_id: int) -> float | None:
    """Return the hall's good rate of the current month in percent, or None before its first rating."""
    row = db.session.get(MonthFigure, hall_id)
    if row is None or row.month != month_range(clock.today().year, clock.today().month)[0]:
        return None
    return figures.Tally(good=row.good, bad=row.bad).good_rate


def recount(session: Session, hall_id: int) -> None:
    """Recount the hall's current month into its row; the row's lock makes concurrent commits count in turn."""
    today, now = clock.today(), clock.now()
    start, end = month_range(today.year, today.month)
    session.execute(insert(MonthFigure).values(hall_id=hall_id, month=start, good=0, bad=0, counted_at=now)
                    .on_conflict_do_update(index_elements=[MonthFigure.hall_id], set_={"counted_at": now}))
    tally = figures.total(hall_id, start, end)
    session.execute(update(MonthFigure).where(MonthFigure.hall_id == hall_id)
                    .values(month=start, good=tally.good, bad=tally.bad, counted_at=now))


def _note(session, _ctx) -> None:
    halls = {o.hall_id for o in (*session.new, *session.dirty, *session.deleted) if isinstance(o, WATCHED)}
    if halls:
        session.info.setdefault(TOUCHED, set()).update(halls)


def _recount_touched(session) -> None:
    if not session.info.get(TOUCHED):
        return
    session.flush()
    for hall_id in sorted(session.info.pop(TOUCHED, ())):
        recount(session, hall_id)


def _forget(session) -> None:
    session.info.pop(TOUCHED, None)


def listen() -> None:
    """Recount a hall's month in every commit that changed its ratings (once per process)."""
    for name, listener in (("after_flush", _note), ("before_commit", _recount_touched),
                           ("after_rollback", _forget)):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)
