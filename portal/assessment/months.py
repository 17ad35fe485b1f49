"""The month's life (月度考核流程): draft → reviewed (supervisor) → published (admin, 公示) → objections → closed."""
from datetime import date

from sqlalchemy import select

from .. import clock
from ..documents import service as numbers
from ..extensions import db
from ..notices.service import post_document
from ..refusals import Refusal
from ..rulebook import calendar
from ..rulebook import service as rules
from . import sheet as sheets
from .models import CLOSED, PENDING, PUBLISHED, REVIEWED, AssessmentMonth, AssessmentObjection
from .store import freeze


class AssessmentError(Refusal):
    """A refused assessment action; the message is shown to the person."""


def record_of(hall_id: int, year: int, month: int, create: bool = False) -> AssessmentMonth | None:
    """Return the hall's record of the month (a new draft one if asked and there is none)."""
    row = db.session.execute(select(AssessmentMonth).where(
        AssessmentMonth.hall_id == hall_id, AssessmentMonth.year == year,
        AssessmentMonth.month == month)).scalar_one_or_none()
    if row is None and create:
        row = AssessmentMonth(hall_id=hall_id, year=year, month=month)
        db.session.add(row)
    return row


def refuse_if_closed(row: AssessmentMonth | None) -> None:
    """Refuse any change to a closed month: a later correction goes to the next month."""
    if row is not None and row.state == CLOSED:
        raise AssessmentError(f"{row.label}考核已结束，不能再修改；后来的更正会计入下一个月", 409)


def title(year: int, month: int) -> str:
    """Return the 公示's title."""
    return f"{year}年{month}月窗口单位及工作人员考核结果公示"


def review(hall_id: int, year: int, month: int, user) -> AssessmentMonth:
    """Mark a finished month reviewed by the supervisor (督查复核), as the ledger stands now."""
    if date(year, month, 1) >= clock.today().replace(day=1):
        raise AssessmentError("本月尚未结束，下月初再复核")
    row = record_of(hall_id, year, month, create=True)
    refuse_if_closed(row)
    if row.frozen:
        raise AssessmentError(f"{row.label}考核已经公示，不能再复核", 409)
    row.review_mark = sheets.compute(hall_id, year, month).mark
    row.state, row.reviewed_by_id, row.reviewed_at = REVIEWED, user.id, clock.now()
    return row


def publish(hall, year: int, month: int, user) -> AssessmentMonth:
    """Publish a reviewed month (公示): freeze its sheets, post the numbered PDF, open the objection period."""
    row = record_of(hall.id, year, month)
    refuse_if_closed(row)
    if row is not None and row.frozen:
        raise AssessmentError(f"{row.label}考核已经公示", 409)
    if row is None or row.state != REVIEWED:
        raise AssessmentError("督查人员复核之后才能公示")
    result = sheets.compute(hall.id, year, month)
    if result.mark != row.review_mark:
        raise AssessmentError("复核之后台账又有新的记分，请督查人员重新复核后再公示", 409)
    freeze(row, result)
    today = clock.today()
    row.state, row.published_by_id, row.published_at = PUBLISHED, user.id, clock.now()
    row.objection_until = calendar.add_working_days(today, rules.get("sheet.objection_days", hall.id))
    db.session.flush()
    issued = numbers.issue(hall.id, "publicity", title(year, month), user)
    notice = post_document(title(year, month), "公示", publicity_pdf(hall, row, issued),
                           f"考核公示-{year}年{month}月.pdf", user, issued=issued)
    row.notice_id = notice.id
    db.session.commit()
    return row


def publicity_context(hall, row: AssessmentMonth, issued=None) -> dict:
    """Return the 公示's context: the published ranking of units and staff."""
    return {"hall": hall, "issued": issued, "month": sheets.stored(row), "record": row}


def publicity_pdf(hall, row: AssessmentMonth, issued=None) -> bytes:
    """Render the 公示 (ranking of units and staff) as PDF bytes in the document layout."""
    from ..pdf import render_pdf
    return render_pdf("pdf/assessment_month.html", **publicity_context(hall, row, issued))


def in_objection_period(row: AssessmentMonth | None, day: date | None = None) -> bool:
    """Say whether units may object to the month's published sheet now."""
    day = day or clock.today()
    return row is not None and row.state == PUBLISHED and row.objection_until is not None and day <= row.objection_until


def pending(row: AssessmentMonth) -> list[AssessmentObjection]:
    """Return the month's objections still waiting for a ruling."""
    return db.session.execute(select(AssessmentObjection).where(
        AssessmentObjection.month_id == row.id, AssessmentObjection.state == PENDING)).scalars().all()


def close(hall_id: int, year: int, month: int, user) -> AssessmentMonth:
    """Close a published month once its objection period is over and every objection is ruled on."""
    row = record_of(hall_id, year, month)
    refuse_if_closed(row)
    if row is None or row.state != PUBLISHED:
        raise AssessmentError("公示之后才能结束考核")
    if in_objection_period(row):
        raise AssessmentError(f"异议期至{row.objection_until:%m月%d日}，期满后才能结束")
    waiting = pending(row)
    if waiting:
        raise AssessmentError(f"还有 {len(waiting)} 条异议未裁定，裁定后才能结束", 409)
    row.state, row.closed_by_id, row.closed_at = CLOSED, user.id, clock.now()
    return row
