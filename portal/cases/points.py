"""Points of cases (限时办结考核): an overdue case costs the unit and the clerk, a fast one earns a bonus.

Each event is recorded once per case under a key (re-imports add nothing while it stands); a corrected
export that shows the case closed in time (or no longer fast) voids the events and frees the key, so a
case that falls overdue again (a later export) is charged again. An import's events go to the ledger
in batch: one read of their keys, one multi-row insert.
"""

from sqlalchemy import select

from ..auth.models import User, UserRole
from ..extensions import db
from ..roles import Role
from ..rulebook import service as rules
from ..scores import service as scores

CORRECTED = "更正的办件导出显示按时办结"
POINTS = {"unit": "unit_points.overdue_case", "clerk": "staff_points.overdue_case",
          "instant": "unit_points.bonus_instant_case", "early": "unit_points.bonus_early_case"}


def _keys(hall_id: int, number: str) -> dict[str, str]:
    base = f"case:{hall_id}:{number}"
    return {"unit": f"{base}:overdue-unit", "clerk": f"{base}:overdue-clerk", "bonus": f"{base}:bonus"}


def settle(hall_id: int, numbers: list[str], found: dict, by) -> None:
    """Bring the ledger in line with these cases as they stand now (found: number -> case)."""
    recorded = scores.keyed(k for n in numbers for k in _keys(hall_id, n).values())
    voided = scores.voided_ids(e.id for e in recorded.values())
    points = {name: rules.get(key) for name, key in POINTS.items()}  # read once for the whole batch
    charges, corrected = [], []
    for number in numbers:
        for part, key, case, event in _changes(hall_id, number, found.get(number), recorded, voided, points):
            if event is None:
                charges.append(_charge(part, case, key, points))
            else:
                corrected.append(event)
    scores.record_all(charges)
    if corrected:
        scores.void_all(corrected, CORRECTED, by or _first_admin(hall_id), release=True)


def _changes(hall_id, number, case, recorded, voided, points):
    """Yield (part, key, case, None) for each part to charge, (part, key, case, event) for each to take back."""
    wanted = {"unit": case is not None and case.overdue, "bonus": case is not None and _bonus(case, points) > 0}
    wanted["clerk"] = wanted["unit"] and case.clerk_id is not None
    for part, key in _keys(hall_id, number).items():
        event = recorded.get(key)
        live = event is not None and event.id not in voided
        if wanted[part] and not live:  # never charged, or taken back by a correction and due again
            yield part, key, case, None
        elif live and not wanted[part]:
            yield part, key, case, event


def _bonus(case, points) -> object:
    if case.on_the_spot:
        return points["instant"]
    return points["early"] if case.early else 0


def _charge(part: str, case, key: str, points) -> scores.Charge:
    unit = case.window.department
    if part == "bonus":
        label = "承诺件改即办件" if case.on_the_spot else "承诺件提前办结"
        return scores.Charge(None, unit, _bonus(case, points), f"{label}（{case.number}）", "case",
                             case.finished_at.date(), key)
    rule = f"办件超期（{case.number}，{case.deadline.late_days}个工作日）"
    if part == "unit":
        return scores.Charge(None, unit, -points["unit"], rule, "case", case.deadline.due, key)
    return scores.Charge(case.clerk, None, -points["clerk"], rule, "case", case.deadline.due, key,
                         department_id=case.window.department_id)


def _first_admin(hall_id: int):
    """Return who records a void when no one ran the import (cron): the hall's first admin."""
    return db.session.execute(select(User).where(User.hall_id == hall_id, User.role_rows.any(
        UserRole.role == Role.ADMIN.value)).order_by(User.id).limit(1)).scalar_one_or_none()
