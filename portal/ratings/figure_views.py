"""The month's ratings figures (好差评统计), the 公示 PDF posted to the board and the trend chart of months."""
from datetime import date

from flask import make_response, render_template, url_for
from flask_login import current_user

from ..access import roles
from ..audit import service as audit
from ..documents import service as numbers
from ..extensions import db
from ..forms import ConfirmForm, confirmed
from ..htmx import go, render
from ..months import from_args as requested_month
from ..notices.service import post_document
from ..once import once
from ..org.models import Hall
from ..pdf import pdf_response, render_pdf
from ..roles import RATING_CASE_WORKERS, RATING_CENTER, Role
from ..rulebook import service as rules
from ..scores.service import month_range
from . import bp, figures

FIGURE_READERS = (*RATING_CASE_WORKERS, Role.GENERAL_DUTY)
TREND_MONTHS = 12


def _context(year: int, month: int) -> dict:
    start, end = month_range(year, month)
    return dict(hall=db.session.get(Hall, current_user.hall_id), year=year, month=month,
                figures=figures.month(current_user.hall_id, start, end), target=rules.get("evaluation.target_rate"),
                period=f"{year}年{month}月")


@bp.route("/")
@roles(*FIGURE_READERS)
def index():
    """Show the month's figures by unit, window and staff member, and the trend of the last months."""
    year, month = requested_month()
    return render("ratings/figures.html", "ratings/_figures.html", month_value=f"{year}-{month:02d}",
                  actions=ConfirmForm(), center=current_user.has_role(*RATING_CENTER), **_context(year, month))


@bp.route("/figures.pdf")
@roles(*RATING_CENTER)
def figures_pdf():
    """Print the month's 好差评公示 in the document layout (a draft until it is posted)."""
    year, month = requested_month()
    audit.record("export.ratings_publicity", "hall", current_user.hall_id, detail={"month": f"{year}-{month}"})
    db.session.commit()
    return pdf_response("pdf/ratings_publicity.html", f"好差评公示-{year}年{month}月.pdf", **_context(year, month))


@bp.route("/figures/post", methods=["POST"])
@roles(*RATING_CENTER)
@once
def post_figures():
    """Post the month's 公示 to the staff notice board with its numbered PDF."""
    confirmed()
    year, month = requested_month()
    title = f"{year}年{month}月政务服务好差评情况公示"
    issued = numbers.issue(current_user.hall_id, "publicity", title, current_user)
    pdf = render_pdf("pdf/ratings_publicity.html", issued=issued, **_context(year, month))
    notice = post_document(title, "公示", pdf, f"好差评公示-{year}年{month}月.pdf", current_user, issued=issued)
    return go(url_for("notices.show", notice_id=notice.id))


def _months(year: int, month: int) -> list[tuple[date, date]]:
    out = []
    for _ in range(TREND_MONTHS):
        out.insert(0, month_range(year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return out


@bp.route("/trend.svg")
@roles(*FIGURE_READERS)
def trend():
    """Draw the good rate and the evaluation rate of the last twelve months as an SVG (server-side, prints)."""
    year, month = requested_month()
    months = figures.trend(current_user.hall_id, _months(year, month))
    svg = render_template("ratings/trend.svg", months=months, target=rules.get("evaluation.target_rate"))
    response = make_response(svg)
    response.mimetype = "image/svg+xml"
    return response
