"""League tables across the county's halls, month by month: a fixed number of queries, whatever the halls."""
from dataclasses import dataclass
from decimal import Decimal

from ..patrol import service as patrol
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


def table(halls: list, year: int, month: int) -> list[HallMonth]:
    """Return each hall's month, most findings first (then by tree order)."""
    ids = [h.id for h in halls]
    rounds, ledger = patrol.month_by_hall(ids, year, month), scores.month_by_hall(ids, year, month)
    rows = [HallMonth(hall=h, rounds=rounds[h.id]["rounds"], findings=rounds[h.id]["findings"],
                      finding_points=Decimal(rounds[h.id]["finding_centi"]) / 100,
                      ledger_events=ledger[h.id]["events"], ledger_net=Decimal(ledger[h.id]["net_centi"]) / 100,
                      ledger_minus=Decimal(ledger[h.id]["minus_centi"]) / 100,
                      ledger_plus=Decimal(ledger[h.id]["plus_centi"]) / 100) for h in halls]
    order = {h.id: n for n, h in enumerate(halls)}
    return sorted(rows, key=lambda r: (-r.findings, order[r.hall.id]))
