"""The month of cases (限时办结月报): figures by window and department, the 公示 PDF and the .xlsx."""
from io import BytesIO

from flask import send_file, url_for
from flask_login import current_user

from ..access import roles
from ..audit import service as audit
from ..extensions import db
from ..htmx import go, render
from ..months import from_args as requested_month
from ..once import once
from ..org.models import Hall
from ..pdf import pdf_response
from ..refusals import Refusal, refused
from ..roles import CASE_IMPORTERS, CASE_READERS, Role
from . import bp, figures, publicity, sheet

PRINTERS = (*CASE_IMPORTERS, Role.GENERAL_DUTY)


def _nav(year: int, month: int) -> dict:
    prev = (year - 1, 12) if month == 1 else (year, month - 1)
    nxt = (year + 1, 1) if month == 12 else (year, month + 1)
    return {"prev": f"{prev[0]}-{prev[1]:02d}", "next": f"{nxt[0]}-{nxt[1]:02d}", "this": f"{year}-{month:02d}"}


@bp.route("/month")
@roles(*CASE_READERS)
def month_page():
    """Show the month's figures by window and department, and its overdue cases."""
    year, month = requested_month()
    return _panel(year, month)


def _panel(year: int, month: int, message: str = "", status: int = 200, **_ignored):
    return render("cases/month.html", "cases/_month.html", status, **figures.month(current_user.hall_id, year, month),
                  nav=_nav(year, month), may_print=current_user.has_role(*PRINTERS),
                  may_publish=current_user.has_role(*CASE_IMPORTERS), message=message)


@bp.route("/month.pdf")
@roles(*PRINTERS)
def month_pdf():
    """Print the month's 公示 of overdue cases as a 样稿 (GB/T 9704 layout; numbered when it is published)."""
    year, month = requested_month()
    hall = db.session.get(Hall, current_user.hall_id)
    audit.record("export.cases_month", "hall", hall.id, detail={"month": f"{year}-{month:02d}", "format": "pdf"})
    db.session.commit()
    return pdf_response("pdf/cases_overdue.html", publicity.file_name(year, month), hall=hall,
                        **figures.month(hall.id, year, month))


@bp.route("/month/publish", methods=["POST"])
@roles(*CASE_IMPORTERS)
@once
def month_publish():
    """Publish the finished month's 公示 of overdue cases on the notice board, numbered (发文字号)."""
    year, month = requested_month()
    try:
        notice_id = publicity.publish(db.session.get(Hall, current_user.hall_id), year, month, current_user)
    except Refusal as e:
        return refused(e, _panel, year=year, month=month)
    return go(url_for("notices.show", notice_id=notice_id))


@bp.route("/month.xlsx")
@roles(*PRINTERS)
def month_xlsx():
    """Download the month's figures and overdue cases as an Excel workbook."""
    year, month = requested_month()
    hall_id = current_user.hall_id
    audit.record("export.cases_month", "hall", hall_id, detail={"month": f"{year}-{month:02d}", "format": "xlsx"})
    db.session.commit()
    data = sheet.workbook(figures.month(hall_id, year, month))
    return send_file(BytesIO(data), download_name=f"限时办结-{year}年{month}月.xlsx", as_attachment=True,
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
