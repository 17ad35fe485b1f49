"""The month's overdue complaints per hall for the county's league table, from the ledger's daily charges."""
from ..scores import tallies

# charge_overdue() keys one deduction per overdue working day: `complaint-overdue:<case>:<round>:<day>`.
PATTERNS = {"overdue": ("complaint-overdue:%",)}


def month_by_hall(hall_ids: list[int], year: int, month: int) -> dict[int, dict]:
    """Return each hall's complaints overdue in the month, their overdue working days and points (one query)."""
    found = tallies.keyed_month(hall_ids, year, month, PATTERNS)
    return {h: {"complaints": v["overdue"]["charges"] and v["overdue"]["subjects"], "days": v["overdue"]["charges"],
                "centi": v["overdue"]["centi"]} for h, v in found.items()}
