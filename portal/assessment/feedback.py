"""Feedback to department heads (半年反馈) and the year's report (年度报告) from the published months.

Only published or closed months count (an open month is still a draft); each month is read as stored,
so a report costs two queries a month whatever the number of staff.
"""
from dataclasses import dataclass, field
from decimal import Decimal

from . import chart, redflags, scheme
from . import sheet as sheets

HALVES = {1: (1, 2, 3, 4, 5, 6), 2: (7, 8, 9, 10, 11, 12)}


@dataclass
class Row:
    """A unit's or a person's months side by side, in hundredths (None: no published sheet that month)."""

    name: str
    totals: list
    ranks: list
    flags: int = 0

    @property
    def average(self) -> int | None:
        shown = [t for t in self.totals if t is not None]
        return round(sum(shown) / len(shown)) if shown else None

    @property
    def points(self) -> list:
        return [Decimal(t) / 100 if t is not None else None for t in self.totals]


@dataclass
class Report:
    """Months of a hall (or of one department): their labels, states, the units' and the staff's rows."""

    year: int
    months: tuple
    published: list  # the months' MonthSheets, None where not yet published
    units: list = field(default_factory=list)
    people: list = field(default_factory=list)
    charts: dict = field(default_factory=dict)  # unit name -> SVG

    @property
    def labels(self) -> list[str]:
        return [f"{m}月" for m in self.months]


def published_months(hall_id: int, year: int, months: tuple) -> list:
    """Return each month's published sheets, or None where the month is not published yet."""
    known = sheets.records(hall_id)
    return [sheets.month(hall_id, year, m) if (r := known.get((year, m))) is not None and r.frozen else None
            for m in months]


def _row(name: str, sheets_of_month: list) -> Row:
    return Row(name, [s.total_centi if s is not None else None for s in sheets_of_month],
               [s.rank if s is not None else None for s in sheets_of_month])


def build(hall_id: int, year: int, months: tuple, department_id: int | None = None) -> Report:
    """Build the months' rows: every unit (or one department's) and its staff, with each unit's chart."""
    published = published_months(hall_id, year, months)
    report = Report(year, months, published)
    units, people = {}, {}
    for result in published:
        for s in (result.units if result else []):
            units.setdefault(s.department_id, s.name)
        for s in (result.people if result else []):
            people.setdefault(s.user_id, (s.name, s.department_id))
    flags = {}
    for row in redflags.awarded(hall_id, year, months):
        flags[row.department_id] = flags.get(row.department_id, 0) + 1
    wanted = [d for d in units if department_id in (None, d)]
    for d in wanted:
        row = _row(units[d], [r.unit(d) if r else None for r in published])
        row.flags = flags.get(d, 0)
        report.units.append(row)
    report.people = [_row(name, [r.person(uid) if r else None for r in published])
                     for uid, (name, dept) in people.items() if dept in wanted]
    plan = scheme.current(hall_id)
    base, cap = Decimal(plan.base_centi) / 100, Decimal(plan.cap_centi) / 100
    report.charts = {r.name: chart.months_svg(f"{r.name}{year}年各月考核得分",
                                              list(zip(report.labels, r.points, strict=True)), base, cap)
                     for r in report.units}
    return report


def half_year(hall_id: int, year: int, half: int, department_id: int) -> Report:
    """Return a department's half year: its unit's and its staff's months side by side."""
    return build(hall_id, year, HALVES[half], department_id)


def whole_year(hall_id: int, year: int) -> Report:
    """Return the year's report: every unit's and person's months, and the red flags."""
    return build(hall_id, year, HALVES[1] + HALVES[2])
