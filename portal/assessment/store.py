"""Keep a published month's sheets: frozen when published, restated only by an upheld objection."""
from sqlalchemy import select

from ..extensions import db
from . import sheet as sheets
from .figures import Line
from .models import AssessmentLine, AssessmentMonth, AssessmentSheet
from .scheme import LINKED, Category, Scheme, current


def _line_row(sheet_id: int, line: Line) -> AssessmentLine:
    return AssessmentLine(sheet_id=sheet_id, event_id=line.event_id, kind=line.kind, category=line.category,
                          centipoints=line.centipoints, day=line.day, rule=line.rule[:120], source=line.source,
                          evidence=line.evidence, origin=line.origin, linked_user_id=line.linked_user_id)


def _sheet_row(row: AssessmentMonth, sheet) -> AssessmentSheet:
    return AssessmentSheet(month_id=row.id, department_id=sheet.department_id, user_id=sheet.user_id,
                           base_centi=sheet.base_centi, cap_centi=sheet.cap_centi,
                           categories=[c.as_json() for c in sheet.categories], bonus_centi=sheet.bonus_centi,
                           adjustment_centi=sheet.adjustment_centi, total_centi=sheet.total_centi, rank=sheet.rank)


def freeze(row: AssessmentMonth, result: sheets.MonthSheet) -> None:
    """Store every sheet of the month and its lines, as they are published."""
    if row.id is None:
        db.session.flush()
    pairs = [(_sheet_row(row, s), s) for s in result.units + result.people]
    db.session.add_all([stored for stored, _s in pairs])
    db.session.flush()
    db.session.add_all([_line_row(stored.id, line) for stored, s in pairs for line in s.lines])
    db.session.flush()


def add_line(sheet_id: int, line: Line) -> AssessmentLine:
    """Add one line to a published sheet (the reversal of an upheld objection)."""
    stored = _line_row(sheet_id, line)
    db.session.add(stored)
    db.session.flush()
    return stored


def _stored_scheme(first: AssessmentSheet, hall_id: int) -> Scheme:
    """Return the scheme the month was published under (its categories' maxima), matching as now."""
    now = {c.key: c for c in current(hall_id).categories}
    categories = tuple(Category(c["key"], c["label"], c["max_centi"], now[c["key"]].match if c["key"] in now else ())
                       for c in first.categories)
    return Scheme("stored", first.base_centi, first.cap_centi, categories)


def restate(row: AssessmentMonth) -> None:
    """Recompute a published month's totals and ranks from its stored lines (after an upheld objection)."""
    stored = db.session.execute(select(AssessmentSheet).where(AssessmentSheet.month_id == row.id)
                                .order_by(AssessmentSheet.id)).scalars().all()
    if not stored:
        return
    lines = db.session.execute(select(AssessmentLine).where(
        AssessmentLine.sheet_id.in_([s.id for s in stored]))).scalars().all()
    by_sheet: dict = {}
    for line in lines:
        by_sheet.setdefault(line.sheet_id, []).append(line)
    units = [s for s in stored if s.user_id is None]
    people = [s for s in stored if s.user_id is not None]
    as_line = {s.id: [_to_line(x) for x in by_sheet.get(s.id, []) if x.kind != LINKED] for s in stored}
    result = sheets.MonthSheet(row.hall_id, row.year, row.month, row)
    sheets.assemble(result, _stored_scheme(stored[0], row.hall_id), [s.department for s in units],
                    [s.user for s in people], {s.department_id: as_line[s.id] for s in units},
                    {s.user_id: as_line[s.id] for s in people}, {s.user_id: s.department_id for s in people})
    fresh = {(s.department_id, s.user_id): s for s in result.units + result.people}
    for old in stored:
        _rewrite(old, fresh[(old.department_id, old.user_id)], by_sheet.get(old.id, []))
    db.session.flush()


def _to_line(x: AssessmentLine) -> Line:
    return Line(x.kind, x.category, x.centipoints, x.day, x.rule, x.source, event_id=x.event_id,
                evidence=x.evidence, origin=x.origin, linked_user_id=x.linked_user_id, id=x.id)


def _rewrite(old: AssessmentSheet, sheet, lines: list) -> None:
    """Put a restated sheet's figures on its stored row; its person-to-unit lines follow its staff's."""
    old.categories = [c.as_json() for c in sheet.categories]
    old.bonus_centi, old.adjustment_centi = sheet.bonus_centi, sheet.adjustment_centi
    old.total_centi, old.rank = sheet.total_centi, sheet.rank
    was = sorted((x.linked_user_id, x.centipoints) for x in lines if x.kind == LINKED)
    now = sorted((x.linked_user_id, x.centipoints) for x in sheet.lines if x.kind == LINKED)
    if was != now:
        for x in lines:
            if x.kind == LINKED:
                db.session.delete(x)
        db.session.add_all([_line_row(old.id, x) for x in sheet.lines if x.kind == LINKED])
