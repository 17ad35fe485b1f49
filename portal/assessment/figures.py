"""The figures of a sheet: its lines, category subtotals, bonuses, adjustments, the cap, the total and the rank."""
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from .scheme import LINKED, Scheme

DEDUCTION, BONUS, ADJUSTMENT = "deduction", "bonus", "adjustment"
KINDS = {DEDUCTION: "扣分", BONUS: "加分", ADJUSTMENT: "往月调整", LINKED: "人员连带"}


def points(centi: int) -> Decimal:
    """Turn hundredths of a point into points."""
    return Decimal(centi) / 100


@dataclass
class Line:
    """One ledger event on a sheet (or a unit's person-to-unit cost), with what it counts as."""

    kind: str
    category: str
    centipoints: int
    day: date
    rule: str
    source: str
    event_id: int | None = None
    evidence: str = ""
    origin: str = ""  # an adjustment's month ("2026-10"): the closed month it corrects
    linked_user_id: int | None = None
    id: int | None = None  # the stored line's id, once published

    @property
    def points(self) -> Decimal:
        return points(self.centipoints)

    @property
    def kind_label(self) -> str:
        return KINDS.get(self.kind, self.kind)


@dataclass
class CategoryTotal:
    """A category's subtotal: the lines' sum, held at the category's maximum deduction."""

    key: str
    label: str
    max_centi: int
    raw_centi: int = 0
    lines: list = field(default_factory=list)

    @property
    def centi(self) -> int:
        return max(self.raw_centi, -self.max_centi) if self.max_centi else self.raw_centi

    @property
    def held(self) -> bool:
        return self.centi != self.raw_centi

    @property
    def points(self) -> Decimal:
        return points(self.centi)

    def as_json(self) -> dict:
        return {"key": self.key, "label": self.label, "max_centi": self.max_centi, "raw_centi": self.raw_centi}


@dataclass
class Sheet:
    """One unit's or one person's month (考核表): base, categories, bonuses, adjustments, cap, total, rank."""

    department_id: int | None
    user_id: int | None
    base_centi: int
    cap_centi: int
    categories: list
    lines: list = field(default_factory=list)
    rank: int = 0
    department: object = None
    user: object = None
    id: int | None = None  # the stored sheet's id, once published
    stored_totals: tuple | None = None  # (bonus, adjustment, total) of a published sheet read without lines
    lines_read: bool = False  # a published sheet read with its lines (which may be none)

    @property
    def is_unit(self) -> bool:
        return self.user_id is None

    @property
    def name(self) -> str:
        return self.user.name if self.user is not None else self.department.name

    def _sum(self, kind: str) -> int:
        return sum(line.centipoints for line in self.lines if line.kind == kind)

    @property
    def bonus_centi(self) -> int:
        return self.stored_totals[0] if self.stored_totals else self._sum(BONUS)

    @property
    def adjustment_centi(self) -> int:
        return self.stored_totals[1] if self.stored_totals else self._sum(ADJUSTMENT)

    @property
    def deduction_centi(self) -> int:
        return sum(c.centi for c in self.categories)

    @property
    def uncapped_centi(self) -> int:
        return self.base_centi + self.deduction_centi + self.bonus_centi + self.adjustment_centi

    @property
    def total_centi(self) -> int:
        return self.stored_totals[2] if self.stored_totals else min(self.uncapped_centi, self.cap_centi)

    @property
    def capped(self) -> bool:
        return self.uncapped_centi > self.cap_centi

    @property
    def total(self) -> Decimal:
        return points(self.total_centi)

    def of_kind(self, kind: str) -> list:
        return [line for line in self.lines if line.kind == kind]


def build(scheme: Scheme, lines: list, department_id, user_id, **known) -> Sheet:
    """Make a sheet of these lines under the scheme: each deduction (and linked cost) in its category."""
    categories = {c.key: CategoryTotal(c.key, c.label, c.max_centi) for c in scheme.categories}
    for line in lines:
        if line.kind in (DEDUCTION, LINKED):
            bucket = categories[line.category]
            bucket.raw_centi += line.centipoints
            bucket.lines.append(line)
    return Sheet(department_id, user_id, scheme.base_centi, scheme.cap_centi, list(categories.values()),
                 lines, **known)


def rank(sheets: list) -> list:
    """Order sheets by total in place, highest first; equal totals share a rank (1, 1, 3) and keep their order."""
    sheets.sort(key=lambda s: -s.total_centi)
    previous, place = None, 0
    for n, sheet in enumerate(sheets, start=1):
        if sheet.total_centi != previous:
            place, previous = n, sheet.total_centi
        sheet.rank = place
    return sheets
