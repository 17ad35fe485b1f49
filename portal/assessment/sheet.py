"""The month's sheets (月度考核表): computed from the score ledger while open, read as published once frozen.

`month(hall_id, year, month)` is the one entry point: a MonthSheet with `.units` and `.people` (Sheets, ranked);
`month_and_sheet(...)` serves a page that shows one sheet.
"""
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import exists, select
from sqlalchemy.orm import joinedload, lazyload

from ..auth.models import User
from ..extensions import db
from ..org.models import Department
from ..scores import service as scores
from ..scores.models import ScoreEvent
from . import figures
from .figures import ADJUSTMENT, BONUS, DEDUCTION, Line, Sheet
from .models import AssessmentLine, AssessmentMonth, AssessmentSheet
from .scheme import LINKED, Scheme, current


@dataclass
class MonthSheet:
    """A hall's month: its state, its units' and people's sheets (ranked) and the ledger's fingerprint."""

    hall_id: int
    year: int
    month: int
    record: AssessmentMonth | None
    units: list = field(default_factory=list)
    people: list = field(default_factory=list)
    mark: str = ""  # the ledger's fingerprint of an open month (what a review is of)

    @property
    def state(self) -> str:
        return self.record.state if self.record else "draft"

    @property
    def frozen(self) -> bool:
        return self.record is not None and self.record.frozen

    @property
    def label(self) -> str:
        return f"{self.year}年{self.month}月"

    def unit(self, department_id: int) -> Sheet | None:
        return next((s for s in self.units if s.department_id == department_id), None)

    def person(self, user_id: int) -> Sheet | None:
        return next((s for s in self.people if s.user_id == user_id), None)


def previous(year: int, month: int) -> tuple[int, int]:
    """Return the month before."""
    return (year - 1, 12) if month == 1 else (year, month - 1)


def following(year: int, month: int) -> tuple[int, int]:
    """Return the month after."""
    return (year + 1, 1) if month == 12 else (year, month + 1)


def records(hall_id: int) -> dict[tuple[int, int], AssessmentMonth]:
    """Return the hall's month records by (year, month)."""
    rows = db.session.execute(select(AssessmentMonth).where(AssessmentMonth.hall_id == hall_id)).scalars()
    return {(r.year, r.month): r for r in rows}


def month(hall_id: int, year: int, month_: int) -> MonthSheet:
    """Return the month's sheets: as published once frozen, computed from the ledger before."""
    known = records(hall_id)
    record = known.get((year, month_))
    if record is not None and record.frozen:
        return stored(record)
    return compute(hall_id, year, month_, known)


def month_and_sheet(hall_id: int, year: int, month_: int, department_id: int | None = None,
                    user_id: int | None = None) -> tuple[MonthSheet, Sheet | None]:
    """Return the month and one sheet with its lines: a unit's, or a person's when user_id is given.

    A frozen month reads that one sheet only, so its MonthSheet lists no units or people (they are not needed
    to show one sheet: its rank is stored); an open month is computed whole, as its ranks need every sheet.
    """
    known = records(hall_id)
    record = known.get((year, month_))
    if record is not None and record.frozen:
        return MonthSheet(hall_id, year, month_, record), stored_sheet(record, department_id, user_id)
    result = compute(hall_id, year, month_, known)
    return result, result.person(user_id) if user_id is not None else result.unit(department_id)


# --- an open month, computed from the ledger ------------------------------------------------------

def _adjusting_from(known: dict, year: int, month_: int) -> date:
    """Return where this month's adjustments start: the first of the frozen months just before it."""
    y, m = year, month_
    while (record := known.get(previous(y, m))) is not None and record.frozen:
        y, m = previous(y, m)
    return date(y, m, 1)


def _events(hall_id: int, start: date, adjust_from: date, end: date) -> list:
    """Return the ledger's rows of the month, and those of frozen months before it that no sheet holds."""
    on_sheet = exists().where(AssessmentLine.event_id == ScoreEvent.id)
    cols = (ScoreEvent.id, ScoreEvent.subject_user_id, ScoreEvent.department_id, ScoreEvent.centipoints,
            ScoreEvent.rule, ScoreEvent.source, ScoreEvent.day, ScoreEvent.evidence, ScoreEvent.reverses_id)
    q = select(*cols).where(ScoreEvent.hall_id == hall_id, ScoreEvent.day >= adjust_from, ScoreEvent.day < end)
    if adjust_from < start:
        q = q.where((ScoreEvent.day >= start) | ~on_sheet)
    return db.session.execute(q.order_by(ScoreEvent.day, ScoreEvent.id)).all()


def _line(scheme: Scheme, row, start: date) -> Line:
    """Say what one ledger row counts as: a deduction in its category, a bonus, or an adjustment."""
    if row.day < start:
        kind = ADJUSTMENT
    elif (row.centipoints > 0) == (row.reverses_id is None) and not row.rule.startswith("调整："):
        kind = BONUS  # a bonus, or the reversal of one
    else:
        kind = DEDUCTION
    return Line(kind, scheme.category_of(row.source, row.rule), row.centipoints, row.day, row.rule, row.source,
                event_id=row.id, evidence=row.evidence, origin=f"{row.day:%Y-%m}" if kind == ADJUSTMENT else "")


def _subjects(hall_id: int, person_ids: set) -> tuple[list, list]:
    """Return the hall's window units and the people with a sheet: the units' active staff and anyone scored."""
    units = db.session.execute(select(Department).where(
        Department.hall_id == hall_id, Department.kind == "window_unit")
        .order_by(Department.sort_order, Department.id)).scalars().all()
    unit_ids = {u.id for u in units}
    people = db.session.execute(select(User).where(User.home_hall_id == hall_id)
                                .options(lazyload(User.role_rows)).order_by(User.id)).scalars().all()
    chosen = [p for p in people if p.id in person_ids or (p.active and p.department_id in unit_ids)]
    return units, chosen


def compute(hall_id: int, year: int, month_: int, known: dict | None = None) -> MonthSheet:
    """Compute an open month's sheets from the ledger (with adjustments for the frozen months before it)."""
    known = records(hall_id) if known is None else known
    start, end = scores.month_range(year, month_)
    rows = _events(hall_id, start, _adjusting_from(known, year, month_), end)
    scheme = current(hall_id)
    by_unit, by_person, person_dept = {}, {}, {}
    for row in rows:
        line = _line(scheme, row, start)
        if row.subject_user_id is None:
            by_unit.setdefault(row.department_id, []).append(line)
        else:
            by_person.setdefault(row.subject_user_id, []).append(line)
            if row.department_id is not None:
                person_dept[row.subject_user_id] = row.department_id  # the last event's department
    units, people = _subjects(hall_id, set(by_person))
    mark = f"{len(rows)}:{sum(r.centipoints for r in rows)}:{max((r.id for r in rows), default=0)}"
    result = MonthSheet(hall_id, year, month_, known.get((year, month_)), mark=mark)
    assemble(result, scheme, units, people, by_unit, by_person, person_dept)
    return result


def assemble(result: MonthSheet, scheme: Scheme, units, people, by_unit: dict, by_person: dict,
             person_dept: dict) -> None:
    """Build and rank every sheet from the lines: people first, whose lost points cost their unit."""
    linked: dict = {}
    for person in people:
        dept_id = person_dept.get(person.id, person.department_id)
        sheet = figures.build(scheme, by_person.get(person.id, []), dept_id, person.id, user=person)
        result.people.append(sheet)
        lost = -sum(line.centipoints for line in sheet.of_kind(DEDUCTION))
        cost = scores.linked_unit_centi(lost) if lost > 0 else 0
        if cost and dept_id is not None:
            linked.setdefault(dept_id, []).append(Line(
                LINKED, scheme.category_of(LINKED, ""), cost, date(result.year, result.month, 1),
                f"人员扣分连带：{person.name}", LINKED, linked_user_id=person.id))
    for unit in units:
        lines = by_unit.get(unit.id, []) + linked.get(unit.id, [])
        result.units.append(figures.build(scheme, lines, unit.id, None, department=unit))
    figures.rank(result.units)
    figures.rank(result.people)
    departments = {u.id: u for u in units}
    for sheet in result.people:
        sheet.department = departments.get(sheet.department_id)


# --- a frozen month, read as published --------------------------------------------------------------

def stored(record: AssessmentMonth) -> MonthSheet:
    """Return a published month's sheets as stored, in two queries whatever the hall's size."""
    rows = db.session.execute(
        select(AssessmentSheet).where(AssessmentSheet.month_id == record.id)
        .options(joinedload(AssessmentSheet.department), joinedload(AssessmentSheet.user).lazyload(User.role_rows))
        .order_by(AssessmentSheet.rank, AssessmentSheet.id)).scalars().all()
    result = MonthSheet(record.hall_id, record.year, record.month, record)
    for row in rows:
        sheet = from_row(row)
        (result.people if row.user_id else result.units).append(sheet)
    return result


def from_row(row: AssessmentSheet, lines: list | None = None) -> Sheet:
    """Turn a stored sheet into a Sheet; with its lines, each category lists them."""
    categories = [figures.CategoryTotal(c["key"], c["label"], c["max_centi"], c["raw_centi"]) for c in row.categories]
    sheet = Sheet(row.department_id, row.user_id, row.base_centi, row.cap_centi, categories, lines or [],
                  rank=row.rank, department=row.department, user=row.user, id=row.id,
                  stored_totals=(row.bonus_centi, row.adjustment_centi, row.total_centi), lines_read=lines is not None)
    by_key = {c.key: c for c in categories}
    for line in lines or []:
        if line.kind in (DEDUCTION, LINKED) and line.category in by_key:
            by_key[line.category].lines.append(line)
    return sheet


def stored_sheet(record: AssessmentMonth, department_id: int | None, user_id: int | None) -> Sheet | None:
    """Return one published sheet of the month with its lines: a unit's, or a person's when user_id is given."""
    q = select(AssessmentSheet).where(AssessmentSheet.month_id == record.id)
    q = (q.where(AssessmentSheet.user_id == user_id) if user_id is not None
         else q.where(AssessmentSheet.department_id == department_id, AssessmentSheet.user_id.is_(None)))
    row = db.session.execute(q.options(joinedload(AssessmentSheet.department),
                                       joinedload(AssessmentSheet.user).lazyload(User.role_rows))
                             .order_by(AssessmentSheet.rank, AssessmentSheet.id).limit(1)).scalars().first()
    return from_row(row, stored_lines(row.id)) if row is not None else None


_LINE_COLUMNS = (AssessmentLine.kind, AssessmentLine.category, AssessmentLine.centipoints, AssessmentLine.day,
                 AssessmentLine.rule, AssessmentLine.source, AssessmentLine.event_id, AssessmentLine.evidence,
                 AssessmentLine.origin, AssessmentLine.linked_user_id, AssessmentLine.id)


def stored_lines(sheet_id: int) -> list[Line]:
    """Return a published sheet's lines (read as columns: they are only shown)."""
    rows = db.session.execute(select(*_LINE_COLUMNS).where(AssessmentLine.sheet_id == sheet_id)
                              .order_by(AssessmentLine.day, AssessmentLine.id))
    return [Line(kind, category, centi, day, rule, source, event_id=event_id, evidence=evidence, origin=origin,
                 linked_user_id=linked, id=id_)
            for kind, category, centi, day, rule, source, event_id, evidence, origin, linked, id_ in rows]


def with_lines(result: MonthSheet, sheet: Sheet) -> Sheet:
    """Return the sheet with its lines (a published sheet reads them; an open one has them)."""
    if sheet.id is None or sheet.lines or sheet.lines_read:
        return sheet
    row = db.session.get(AssessmentSheet, sheet.id)
    return from_row(row, stored_lines(sheet.id))
