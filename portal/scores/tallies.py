"""Count a month's keyed ledger events per hall (the county's league table), in one query whatever the halls."""
from sqlalchemy import case, exists, func, or_, select
from sqlalchemy.orm import aliased

from ..extensions import db
from .models import ScoreEvent
from .service import month_range


def keyed_month(hall_ids: list[int], year: int, month: int, patterns: dict[str, tuple[str, ...]]) -> dict:
    """Return {hall: {name: {charges, subjects, centi}}} of the month's live keyed events matching each pattern.

    A pattern is a SQL LIKE on the exactly-once key; charges counts deductions (points below zero), subjects
    the distinct evidence they name (e.g. one complaint charged on several days), centi the net points.
    Reversed events and the reversals themselves are left out, so a voided charge counts nowhere.
    """
    first, after = month_range(year, month)
    reversal = aliased(ScoreEvent)
    columns, names = [], list(patterns)
    for name in names:
        hit = or_(*(ScoreEvent.dedupe_key.like(p) for p in patterns[name]))
        columns += [func.sum(case((hit & (ScoreEvent.centipoints < 0), 1), else_=0)),
                    func.count(func.distinct(case((hit & (ScoreEvent.centipoints < 0), ScoreEvent.evidence)))),
                    func.sum(case((hit, ScoreEvent.centipoints), else_=0))]
    rows = db.session.execute(
        select(ScoreEvent.hall_id, *columns)
        .where(ScoreEvent.hall_id.in_(hall_ids), ScoreEvent.day >= first, ScoreEvent.day < after,
               ScoreEvent.dedupe_key.is_not(None), ScoreEvent.reverses_id.is_(None),
               ~exists().where(reversal.reverses_id == ScoreEvent.id))
        .group_by(ScoreEvent.hall_id)).all()
    out = {h: {n: {"charges": 0, "subjects": 0, "centi": 0} for n in names} for h in hall_ids}
    for hall_id, *values in rows:
        for i, name in enumerate(names):
            charges, subjects, centi = values[3 * i:3 * i + 3]
            out[hall_id][name] = {"charges": int(charges or 0), "subjects": int(subjects or 0),
                                  "centi": int(centi or 0)}
    return out
