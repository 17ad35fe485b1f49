"""The month's 公示 of overdue cases: a numbered document (发文字号) posted to the notice board."""
from datetime import date

from .. import clock
from ..documents import service as numbers
from ..notices.service import post_document
from ..refusals import Refusal
from . import figures

KIND = "publicity"


def title(year: int, month: int) -> str:
    """Return the 公示's title, as the PDF heads it."""
    return f"关于{year}年{month}月超期办件情况的公示"


def file_name(year: int, month: int) -> str:
    return f"超期办件公示-{year}年{month}月.pdf"


def pdf(hall, year: int, month: int, issued=None) -> bytes:
    """Render the 公示 (GB/T 9704): a 样稿 without a number, the document itself once issued."""
    from ..pdf import render_pdf
    return render_pdf("pdf/cases_overdue.html", hall=hall, issued=issued, **figures.month(hall.id, year, month))


def publish(hall, year: int, month: int, user) -> int:
    """Number the finished month's 公示 and post it to the notice board; return the notice's id."""
    if date(year, month, 1) >= clock.today().replace(day=1):
        raise Refusal("本月尚未结束，下月初再公示", 409)
    heading = title(year, month)
    earlier = numbers.posted_today(hall.id, KIND, heading)
    if earlier is not None:  # posted a moment ago (a second tap): the same notice, no second number
        return earlier.notice_id
    issued = numbers.issue(hall.id, KIND, heading, user)
    notice = post_document(heading, "公示", pdf(hall, year, month, issued), file_name(year, month), user,
                           issued=issued)
    return notice.id
