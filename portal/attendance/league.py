"""The month's attendance per hall for the county's league table, from the charges on the score ledger."""
from ..scores import tallies
from .points import PREFIX

# Each charge on a person is keyed `attendance:<person>:<day>:<half>:<what>:person` (an overrun leave
# `attendance:leave:<id>:overrun:person`); a correction booked in the next month carries the same key
# behind `attendance-adjust:`, hence the leading wildcard.
PATTERNS = {"late_early": (f"%{PREFIX}%:late:person", f"%{PREFIX}%:early:person", f"%{PREFIX}%:overrun:person"),
            "absent": (f"%{PREFIX}%:absent:person",)}


def month_by_hall(hall_ids: list[int], year: int, month: int) -> dict[int, dict]:
    """Return each hall's late/early/overrun count, absent half days and net points of the month (one query)."""
    found = tallies.keyed_month(hall_ids, year, month, PATTERNS)
    return {h: {"late_early": v["late_early"]["charges"], "absent_halves": v["absent"]["charges"],
                "person_centi": v["late_early"]["centi"] + v["absent"]["centi"]} for h, v in found.items()}
