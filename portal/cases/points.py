"""Points of cases (限时办结考核): an overdue case costs the unit and the clerk, a fast one earns a bonus.

Each event is recorded once per case under a key (re-imports add nothing while it stands); a corrected
export that shows the case closed in time (or no longer fast) voids the events and frees the key, so a
case that falls overdue again (a later export) is charged again.
"""

from sqlalchemy import select

from ..auth.models import User, UserRole
from ..extensions import db
from ..org.models import Department
from ..roles import Role
from ..rulebook import service as rules
from ..scores import service as scores

CORRECTED = "更正的办件导出显示按时办结"


def _keys(hall_id: int, number: str) -> dict[str, str]:
    base = f"case:{hall_id}:{number}"
    return {"unit": f"{base}:overdue-unit", "clerk": f"{base}:overdue-clerk", "bonus": f"{base}:bonus"}


def settle(hall_id: int, numbers: list[str], found: dict, by) -> None:
    """Bring the ledger in line with these cases as they stand now (found: number -> case)."""
    recorded = scores.keyed(k for n in numbers for k in _keys(hall_id, n).values())
    voided = scores.voided_ids(e.id for e in recorded.values())
    for number in numbers:
        _settle_one(hall_id, number, found.get(number), recorded, voided, by)


def _settle_one(hall_id, number, case, recorded, voided, by) -> None:
    keys = _keys(hall_id, number)
    wanted = {"unit": case is not None and case.overdue, "bonus": case is not None and _bonus(case) > 0}
    wanted["clerk"] = wanted["unit"] and case.clerk_id is not None
    for part, key in keys.items():
        event = recorded.get(key)
        live = event is not None and event.id not in voided
        if wanted[part] and not live:  # never charged, or taken back by a correction and due again
            _record(part, case, key)
        elif live and not wanted[part]:
            scores.void(event, CORRECTED, by or _first_admin(hall_id), release=True)


def _bonus(case) -> object:
    if case.on_the_spot:
        return rules.get("unit_points.bonus_instant_case")
    return rules.get("unit_points.bonus_early_case") if case.early else 0


def _record(part: str, case, key: str) -> None:
    window = case.window
    if part == "bonus":
        label = "承诺件改即办件" if case.on_the_spot else "承诺件提前办结"
        scores.record(subject_department=db.session.get(Department, window.department_id), points=_bonus(case),
                      rule=f"{label}（{case.number}）", source="case", day=case.finished_at.date(), key=key)
        return
    rule = f"办件超期（{case.number}，{case.deadline.late_days}个工作日）"
    if part == "unit":
        scores.record(subject_department=db.session.get(Department, window.department_id),
                      points=-rules.get("unit_points.overdue_case"), rule=rule, source="case",
                      day=case.deadline.due, key=key)
    else:
        scores.record(db.session.get(User, case.clerk_id), points=-rules.get("staff_points.overdue_case"),
                      rule=rule, source="case", day=case.deadline.due, key=key,
                      department_id=window.department_id)


def _first_admin(hall_id: int):
    """Return who records a void when no one ran the import (cron): the hall's first admin."""
    return db.session.execute(select(User).where(User.hall_id == hall_id, User.role_rows.any(
        UserRole.role == Role.ADMIN.value)).order_by(User.id).limit(1)).scalar_one_or_none()
