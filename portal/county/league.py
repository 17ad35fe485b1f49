"""League tables across the county's halls, month by month: a fixed number of queries, whatever the halls."""
from dataclasses import dataclass
from decimal import Decimal

from ..attendance import league as attendance
from ..complaints import league as complaints
from ..patrol import service as patrol
from ..ratings import figures as ratings
from ..scores import service as scores


@dataclass
class HallMonth:
    """One hall's line in the county's table."""

    hall: object
    rounds: int
    findings: int
    finding_points: Decimal
    ledger_events: int
    ledger_net: Decimal
    ledger_minus: Decimal
    ledger_plus: Decimal
    ratings: object  # ratings.figures.Tally: counts and the published rates
    late_early: int
    absent_halves: int
    overdue_complaints: int
    overdue_days: int
    assessment: Decimal | None = None  # the month's assessment total (考核总分), once portal/assessment offers it


def assessment_totals(hall_ids: list[int], year: int, month: int) -> dict[int, Decimal] | None:
    """Return each hall's assessment of the month as published: the mean of its units' sheet totals.

    One query for all halls; halls whose month is not yet published have no figure, and while none of
    them has one the column stays hidden (None).
    """
    from sqlalchemy import func, select

    from ..assessment.models import FROZEN, AssessmentMonth, AssessmentSheet
    from ..extensions import db
    rows = db.session.execute(
        select(AssessmentMonth.hall_id, func.avg(AssessmentSheet.total_centi))
        .join(AssessmentSheet, AssessmentSheet.month_id == AssessmentMonth.id)
        .where(AssessmentMonth.hall_id.in_(hall_ids), AssessmentMonth.year == year, AssessmentMonth.month == month,
               AssessmentMonth.state.in_(FROZEN), AssessmentSheet.department_id.is_not(None),
               AssessmentSheet.user_id.is_(None))
        .group_by(AssessmentMonth.hall_id)).all()
    if not rows:
        return None
    return {hall_id: (Decimal(str(mean)) / 100).quantize(Decimal("0.01")) for hall_id, mean in rows}


def _points(centi: int) -> Decimal:
    return Decimal(centi) / 100


def table(halls: list, year: int, month: int) -> list[HallMonth]:
    """Return each hall's month, most findings first (then by tree order)."""
    ids, (first, after) = [h.id for h in halls], scores.month_range(year, month)
    rounds, ledger = patrol.month_by_hall(ids, year, month), scores.month_by_hall(ids, year, month)
    rated, present = ratings.by_hall(ids, first, after), attendance.month_by_hall(ids, year, month)
    late, totals = complaints.month_by_hall(ids, year, month), assessment_totals(ids, year, month)
    rows = [HallMonth(hall=h, rounds=rounds[h.id]["rounds"], findings=rounds[h.id]["findings"],
                      finding_points=_points(rounds[h.id]["finding_centi"]), ledger_events=ledger[h.id]["events"],
                      ledger_net=_points(ledger[h.id]["net_centi"]), ledger_minus=_points(ledger[h.id]["minus_centi"]),
                      ledger_plus=_points(ledger[h.id]["plus_centi"]), ratings=rated[h.id],
                      late_early=present[h.id]["late_early"], absent_halves=present[h.id]["absent_halves"],
                      overdue_complaints=late[h.id]["complaints"], overdue_days=late[h.id]["days"],
                      assessment=None if totals is None else totals.get(h.id)) for h in halls]
    order = {h.id: n for n, h in enumerate(halls)}
    return sorted(rows, key=lambda r: (-r.findings, order[r.hall.id]))

