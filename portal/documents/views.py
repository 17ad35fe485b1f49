"""The admin page of document numbers (发文字号设置)."""
from flask import abort, request
from flask_login import current_user

from .. import clock
from ..access import roles
from ..extensions import db
from ..htmx import render
from ..once import once
from ..org import service as org
from ..refusals import Refusal, refused
from ..roles import Role
from . import bp, service
from .forms import SeriesForm


def _year() -> int:
    this_year = clock.today().year
    year = request.values.get("year", type=int) or this_year
    if year not in (this_year, this_year + 1):
        abort(404)  # a past year's numbers are history; next year's can be prepared in December
    return year


def _panel(year: int, form: SeriesForm | None = None, message: str = "", ok: bool = False, status: int = 200):
    hall = org.hall_of(current_user)
    series = service.series_of(hall, year)
    if form is None:
        form = SeriesForm(formdata=None, code=series.prefix, issuer=series.issuer,
                          next_number=series.next_number)
    return render("documents/settings.html", "documents/_settings.html", status=status, year=year,
                  this_year=clock.today().year, form=form, series=series, message=message, ok=ok,
                  highest=service.highest_issued(hall.id, year), issued=service.issued_in(hall.id, year))


@bp.route("", methods=["GET"])
@roles(Role.ADMIN)
def settings():
    """Show a year's 机关代字, issuing office and next number, and the numbers issued so far."""
    return _panel(_year())


@bp.route("", methods=["POST"])
@roles(Role.ADMIN)
@once
def save():
    """Set a year's 机关代字, issuing office and next number (never onto a number already issued)."""
    year, form = _year(), SeriesForm()
    if not form.validate_on_submit():
        status = 400 if "csrf_token" in form.errors else 422
        return _panel(year, form, message="页面已过期，请刷新后重试" if status == 400 else "请按提示修改",
                      status=status)
    try:
        row = service.set_series(org.hall_of(current_user), year, form.code.data, form.issuer.data,
                                 form.next_number.data)
        db.session.commit()
    except Refusal as error:
        return refused(error, lambda **ctx: _panel(year, form, **ctx))
    return _panel(year, message=f"已保存：{year}年下一个文号为 {row.prefix}〔{year}〕{row.next_number}号", ok=True)
