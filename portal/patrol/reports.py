"""Patrol reports: the day's report for the director and the quarterly bulletin (巡查通报)."""
from collections import Counter
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from .. import clock
from ..extensions import db
from ..rulebook import calendar
from .models import SECTIONS, PatrolRound, PatrolVisit
from .service import rounds_due


def quarter_range(year: int, quarter: int) -> tuple[date, date]:
    """Return the first day of the quarter and the first day of the next."""
    start = date(year, 3 * quarter - 2, 1)
    return start, (date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1))


def _visits(hall_id: int, start: date, end: date) -> list[PatrolVisit]:
    return db.session.execute(select(PatrolVisit).where(
        PatrolVisit.hall_id == hall_id, PatrolVisit.day >= start, PatrolVisit.day < end)
        .options(joinedload(PatrolVisit.window), joinedload(PatrolVisit.department), joinedload(PatrolVisit.by))
        .order_by(PatrolVisit.day, PatrolVisit.id)).scalars().all()


def _rounds(hall_id: int, start: date, end: date) -> list[PatrolRound]:
    return db.session.execute(select(PatrolRound).where(
        PatrolRound.hall_id == hall_id, PatrolRound.day >= start, PatrolRound.day < end)
        .options(joinedload(PatrolRound.patroller)).order_by(PatrolRound.started_at)).scalars().all()


def _standing(visits) -> list[tuple]:
    """Return (visit, finding) for the findings that stand: a voided one (申诉成立) is not reported."""
    return [(v, f) for v in visits for f in v.findings if f.void is None]


def day_report(hall, day: date) -> dict:
    """Return the context of the day's patrol report (巡查日报)."""
    visits = _visits(hall.id, day, day + timedelta(days=1))
    rounds = _rounds(hall.id, day, day + timedelta(days=1))
    findings = _standing(visits)
    return {"hall": hall, "day": day, "rounds": rounds, "done": sum(1 for r in rounds if r.finished),
            "due": rounds_due(day), "windows": len({v.window_id for v in visits}), "findings": findings}


def bulletin(hall, year: int, quarter: int) -> dict:
    """Return the quarterly bulletin: rounds, findings by kind and department, repeat cases, points."""
    start, end = quarter_range(year, quarter)
    visits = _visits(hall.id, start, end)
    rounds = [r for r in _rounds(hall.id, start, end) if r.finished]
    findings = _standing(visits)
    by_kind = Counter((SECTIONS.get(f.section, f.section), f.label) for _v, f in findings)
    by_dept: dict[str, list] = {}
    for v, f in findings:
        row = by_dept.setdefault(v.department.name, [0, 0])
        row[0] += 1
        row[1] += f.person_centi + f.unit_centi
    repeats = Counter((f.person.name, v.department.name, f.label) for v, f in findings if f.person)
    last, as_of = _counted_until(start, end)
    due = sum(rounds_due(d) for d in calendar.working_days(start, last))
    return {"hall": hall, "period": f"{year}年第{quarter}季度", "as_of": as_of, "rounds": len(rounds), "due": due,
            "windows": len({(v.round_id, v.window_id) for v in visits}), "findings": findings,
            "by_kind": by_kind.most_common(), "by_dept": sorted(by_dept.items(), key=lambda kv: -kv[1][0]),
            "repeats": [(k, n) for k, n in repeats.most_common() if n > 1],
            "points": sum(f.person_centi + f.unit_centi for _v, f in findings) / 100}


def _counted_until(start: date, end: date) -> tuple[date, str | None]:
    """Return the last day whose patrols are due, and "12月1日" when the period is still running."""
    today = clock.today()
    if today >= end - timedelta(days=1):
        return end - timedelta(days=1), None
    last = max(today, start - timedelta(days=1))
    return last, f"{today.month}月{today.day}日"


def visit_bulletin(hall, visit: PatrolVisit) -> dict:
    """Return the context of an immediate bulletin (即时通报) on a serious finding."""
    return {"hall": hall, "visit": visit}


def bulletin_pdf(hall, year: int, quarter: int, issued=None) -> bytes:
    """Render the quarterly bulletin as PDF bytes (for the notice board), with its number once issued."""
    from ..pdf import render_pdf
    return render_pdf("pdf/patrol_bulletin.html", issued=issued, **bulletin(hall, year, quarter))
