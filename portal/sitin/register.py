"""The compliance register (坐班情况登记): per week and month, who filed, sat in and reported."""
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from .. import clock
from ..documents.service import cn_span
from ..extensions import db
from ..org.models import Department
from ..rulebook import service as rules
from .booking import monday_of, required_days
from .checkin import group_by_department, note_in_time, visits_between
from .models import ACTIVE, SitInBooking

FILING_LABELS = {"on_time": "按时报备", "late": "报备逾期", "none": "未报备"}


@dataclass
class Compliance:
    """One department's sit-in record for a week (or the sum of a month's weeks)."""

    department: Department
    filing: str = "none"
    required: float = 0.0
    booked: float = 0.0
    attended: float = 0.0
    notes: int = 0
    issues: list = field(default_factory=list)
    weeks: int = 0

    @property
    def filing_label(self) -> str:
        return FILING_LABELS.get(self.filing, self.filing)

    @property
    def compliant(self) -> bool:
        return not self.issues

    @property
    def points(self):
        return rules.get("sitin.noncompliance_points") if self.issues else 0


def _filing(rows) -> str:
    active = [b for b in rows if b.state == ACTIVE]
    if not active:
        return "none"
    # A week filed on time stays on time when it is later changed with a recorded reason.
    on_time = [b for b in rows if not b.filed_late and (b.state == ACTIVE or b.cancelled_late)]
    return "on_time" if on_time else "late"


def _week_of(dept, rows, visits, required, today) -> Compliance:
    c = Compliance(department=dept, required=required, weeks=1)
    c.filing = _filing(rows)
    sitins = group_by_department([b for b in rows if b.state == ACTIVE], visits)
    c.booked = sum(s.days for s in sitins)
    if c.filing == "none" and c.required:
        c.issues.append("未报备")
    elif c.booked < c.required:
        c.issues.append(f"预约 {c.booked:g} 天，少于规定的 {c.required:g} 天")
    for s in sorted(sitins, key=lambda s: s.day):
        day = s.day
        if s.state == "arrived":
            c.attended += s.days
            c.notes += 1 if s.visit.has_note else 0
            if day < today and not note_in_time(s.visit):
                c.issues.append(f"{day:%m月%d日} 未填写坐班记录")
        elif s.state == "absent" or day < today:
            c.issues.append(f"{day:%m月%d日} 未到岗坐班")
    return c


def week_register(hall_id: int, monday: date) -> list[Compliance]:
    """Return each window unit's compliance for a week, in department order."""
    monday = monday_of(monday)
    sunday = monday + timedelta(days=6)
    depts = _units(hall_id)
    rows = db.session.execute(
        select(SitInBooking).where(SitInBooking.hall_id == hall_id, SitInBooking.day >= monday,
                                   SitInBooking.day <= sunday)
        .options(joinedload(SitInBooking.department), joinedload(SitInBooking.leader))).scalars().all()
    visits, today, required = visits_between(hall_id, monday, sunday), clock.today(), required_days(monday)
    by_dept: dict = {}
    for b in rows:
        by_dept.setdefault(b.department_id, []).append(b)
    return [_week_of(d, by_dept.get(d.id, []), visits, required, today) for d in depts]


def _units(hall_id: int) -> list[Department]:
    return db.session.execute(
        select(Department).where(Department.hall_id == hall_id, Department.kind == "window_unit",
                                 Department.active.is_(True))
        .order_by(Department.sort_order, Department.id)).scalars().all()


def month_mondays(year: int, month: int) -> list[date]:
    """Return the Mondays of the weeks that begin in a month."""
    d = date(year, month, 1)
    d += timedelta(days=(7 - d.weekday()) % 7)
    out = []
    while d.month == month:
        out.append(d)
        d += timedelta(days=7)
    return out


def month_register(hall_id: int, year: int, month: int) -> list[Compliance]:
    """Return each window unit's totals over the weeks that begin in a month."""
    totals: dict = {}
    for monday in month_mondays(year, month):
        for c in week_register(hall_id, monday):
            t = totals.setdefault(c.department.id, Compliance(department=c.department, filing=""))
            t.required += c.required
            t.booked += c.booked
            t.attended += c.attended
            t.notes += c.notes
            t.weeks += 1
            t.issues += [f"第{monday:%m月%d日}周：{i}" for i in c.issues]
    return list(totals.values())


def bulletin(hall, kind: str, value) -> dict:
    """Return the bulletin's context for a week (a Monday) or a month ((year, month))."""
    rows = month_register(hall.id, *value) if kind == "month" else week_register(hall.id, value)
    period = f"{value[0]}年{value[1]}月" if kind == "month" else cn_span(value, value + timedelta(days=6))
    return {"hall": hall, "period": period, "rows": rows, "bad": [r for r in rows if r.issues],
            "min_days": rules.display("sitin.min_days_per_week")}


def bulletin_pdf(hall, monday: date) -> bytes:
    """Render a week's sit-in bulletin (通报) as PDF bytes, e.g. for the notice board."""
    from ..pdf import render_pdf
    return render_pdf("pdf/sitin_bulletin.html", **bulletin(hall, "week", monday_of(monday)))


def noncompliant_departments(monday: date, hall_id: int) -> list[Compliance]:
    """Return a hall's window units that broke the sit-in rules in a week, with their reasons and points."""
    return [c for c in week_register(hall_id, monday) if c.issues]
