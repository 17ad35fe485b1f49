"""The month's attendance sheet (考勤月报): per department and person, its 公示, its .xlsx, and closing the month."""
import io
from datetime import date

from openpyxl import Workbook
from sqlalchemy import select

from .. import clock
from ..documents import service as numbers
from ..extensions import db
from ..notices.service import post_document
from ..org.models import Department
from ..refusals import Refusal
from .leave_models import KINDS, AttendanceMonth
from .sheet import hall_people, month_sheet

COLUMNS = ["单位", "姓名", "出勤（天）", "迟到（次）", "迟到（分钟）", "早退（次）", "早退（分钟）", "旷工（天）",
           *[f"{k}（天）" for k in KINDS.values()]]


class MonthError(Refusal):
    """A refused month action; the message is shown to the person."""


def closed(hall_id: int, day: date) -> bool:
    """Say whether the day's month is published (closed: corrections go to the next month)."""
    return db.session.execute(select(AttendanceMonth.id).where(
        AttendanceMonth.hall_id == hall_id, AttendanceMonth.year == day.year,
        AttendanceMonth.month == day.month)).first() is not None


def published(hall_id: int, limit: int = 3) -> list[AttendanceMonth]:
    """Return the hall's latest published months, newest first."""
    return db.session.execute(select(AttendanceMonth).where(
        AttendanceMonth.hall_id == hall_id, AttendanceMonth.notice_id.is_not(None))
        .order_by(AttendanceMonth.year.desc(), AttendanceMonth.month.desc()).limit(limit)).scalars().all()


def unread_by(person, hall_id: int, months: list | None = None) -> list[AttendanceMonth]:
    """Return the published months whose 公示 the person has not opened yet (the unit's copy waits for them).

    months: the hall's published(hall_id), when already read (for many people at once).
    """
    from ..notices import service as notices
    from ..notices.models import Notice
    out = []
    for row in published(hall_id) if months is None else months:
        notice = db.session.get(Notice, row.notice_id)
        if notice is not None and notices.receipt_of(person, notice) is None:
            out.append(row)
    return out


def next_month(day: date) -> date:
    """Return the first day of the month after the day's."""
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def sheet(hall_id: int, year: int, month: int) -> list[tuple[Department, list]]:
    """Return [(department, [(person, totals)])] of the month, departments in their order."""
    rows = month_sheet(hall_id, year, month, hall_people(hall_id))
    departments = {d.id: d for d in db.session.execute(select(Department).where(
        Department.hall_id == hall_id)).scalars()}
    out: dict = {}
    for row in rows:
        if row.mapped:
            out.setdefault(row.person.department_id, []).append((row.person, row.totals))
    order = sorted(out, key=lambda i: (departments[i].sort_order, departments[i].name))
    return [(departments[i], out[i]) for i in order]


def line(department, person, totals) -> list:
    """Return one person's row of the sheet."""
    return [department.name, person.name, totals.present_days, totals.late, totals.late_minutes, totals.early,
            totals.early_minutes, totals.absent_days, *[totals.leave.get(k, 0) / 2 for k in KINDS.values()]]


def xlsx(hall_id: int, year: int, month: int) -> bytes:
    """Write the month's sheet as an .xlsx workbook."""
    book = Workbook()
    ws = book.active
    ws.title = f"{year}年{month}月"
    ws.append([f"{year}年{month}月考勤汇总"])
    ws.append(COLUMNS)
    for department, people in sheet(hall_id, year, month):
        for person, totals in people:
            ws.append(line(department, person, totals))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def pdf(hall, year: int, month: int, issued=None) -> bytes:
    """Render the month's 公示 as PDF bytes (GB/T 9704 layout), with its number once issued."""
    from ..pdf import render_pdf
    return render_pdf("pdf/attendance_month.html", issued=issued, hall=hall, year=year, month=month,
                      columns=COLUMNS, sheet=sheet(hall.id, year, month), line=line)


def publish(hall, year: int, month: int, user) -> AttendanceMonth:
    """Publish a finished month as a 公示 on the notice board (numbered) and close it."""
    if date(year, month, 1) >= clock.today().replace(day=1):
        raise MonthError("本月尚未结束，下月初再公示")
    if closed(hall.id, date(year, month, 1)):
        raise MonthError(f"{year}年{month}月考勤已经公示", 409)
    title = f"{year}年{month}月考勤情况公示"
    issued = numbers.issue(hall.id, "publicity", title, user)
    notice = post_document(title, "公示", pdf(hall, year, month, issued), f"考勤公示-{year}年{month}月.pdf", user,
                           issued=issued)
    row = AttendanceMonth(hall_id=hall.id, year=year, month=month, published_at=clock.now(),
                          published_by_id=user.id, notice_id=notice.id)
    db.session.add(row)
    db.session.commit()
    return row
