"""The center office staff's attendance scale (中心工作人员考勤百分制): a base less each late, early or absence."""
from dataclasses import dataclass
from decimal import Decimal

from ..rulebook import service as rules
from ..scores import service as scores

CENTER_OFFICE = "center_office"
OFFICE_RATES = {"late": "attendance.office_late_points", "absent": "attendance.office_absent_points"}
STAFF_RATES = {"late": "staff_points.late_early_away", "absent": "staff_points.absent_half_day"}


def is_office(person) -> bool:
    """Say whether the person is on the center office's scale (a 中心科室's staff, not a window unit's)."""
    return person.department is not None and person.department.kind == CENTER_OFFICE


def rates(person) -> dict[str, Decimal]:
    """Return what a late/early/away and a half day's absence cost the person, by their scale."""
    keys = OFFICE_RATES if is_office(person) else STAFF_RATES
    return {what: rules.get(key) for what, key in keys.items()}


@dataclass(frozen=True)
class OfficeScore:
    """A center office person's month on the attendance scale."""

    score: Decimal
    scale: Decimal
    threshold: Decimal

    @property
    def below(self) -> bool:
        """Say whether the month's score is under the bonus line (低于此分影响奖金)."""
        return self.score < self.threshold


def scores_of(hall_id: int, year: int, month: int, people) -> dict[int, OfficeScore]:
    """Return the month's attendance score of each office person: the base plus their attendance events."""
    office = {p.id for p in people if is_office(p)}
    if not office:
        return {}
    scale = Decimal(str(rules.get("attendance.office_scale")))
    threshold = Decimal(str(rules.get("attendance.office_bonus_threshold")))
    centi = dict.fromkeys(office, 0) | scores.source_sums(hall_id, year, month, "attendance", office)
    return {uid: OfficeScore(scale + Decimal(c) / 100, scale, threshold) for uid, c in centi.items()}
