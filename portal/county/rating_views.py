"""Station star ratings on the tablet: the county supervisor checks a station on site; the sheet prints."""
from functools import partial

from flask import abort, redirect, request, url_for
from flask_login import current_user

from .. import hallscope
from ..access import roles
from ..extensions import db
from ..forms import CreateForm
from ..htmx import render
from ..once import once
from ..pdf import pdf_response
from ..records import hall_record
from ..refusals import refused
from ..roles import COUNTY, RATERS
from . import bp, rating, service
from .models import StationRating


def _stations():
    return [h for h in service.halls(current_user) if h.id != current_user.home_hall_id]


@bp.route("/ratings")
@roles(*COUNTY)
def ratings():
    """List the county's station ratings, newest first, with a new rating per station."""
    stations = _stations()
    return render("county/ratings.html", "county/ratings.html", stations=stations,
                  rows=rating.of_county([h.id for h in stations]), can_rate=current_user.has_role(*RATERS))


def _sheet(station, form=None, message="", status=200, answers=None):
    return render("county/rating_new.html", "county/_rating_form.html", status=status, station=station,
                  form=form or CreateForm(), message=message, items=rating.ITEMS, sections=rating.SECTIONS,
                  severities=rating.SEVERITIES, answers=answers or {},
                  deduction=partial(rating.deduction, county_id=current_user.home_hall_id))


def _station(hall_id: int):
    station = next((h for h in _stations() if h.id == hall_id), None)
    if station is None or not hallscope.may_act_in(current_user, hall_id):
        abort(404)
    return station


@bp.route("/ratings/new/<int:hall_id>", methods=["GET", "POST"])
@roles(*RATERS)
@once
def rating_new(hall_id):
    """Rate a station on site: mark each item's problem, if any; the score follows the rulebook."""
    station = _station(hall_id)
    form = CreateForm()
    if request.method == "GET":
        return _sheet(station)
    if not form.validate_on_submit():
        return _sheet(station, message="请刷新页面后重试", status=400)
    answers = [rating.Answer(code, request.form.get(f"sev-{code}", ""), request.form.get(f"note-{code}", ""))
               for code, _section, _label in rating.ITEMS]
    try:
        made = rating.rate(current_user, station.id, answers, request.form.get("note", ""))
    except rating.RatingError as error:
        return refused(error, lambda message, status: _sheet(station, form, message, status,
                                                             {a.item: a for a in answers}))
    db.session.commit()
    return redirect(url_for("county.rating_view", rating_id=made.id))


@bp.route("/ratings/<int:rating_id>")
@roles(*COUNTY)
def rating_view(rating_id):
    """Show one station rating: its findings, score and stars."""
    row = hall_record(StationRating, rating_id)
    return render("county/rating.html", "county/rating.html", r=row, sections=rating.SECTIONS,
                  severities=rating.SEVERITIES)


@bp.route("/ratings/<int:rating_id>.pdf")
@roles(*COUNTY)
def rating_pdf(rating_id):
    """Print the rating sheet in the document layout (GB/T 9704), issued by the county."""
    row = hall_record(StationRating, rating_id)
    return pdf_response("pdf/station_rating.html", f"星级评定-{row.hall.name}-{row.day}.pdf", hall=row.county_hall,
                        r=row, sections=rating.SECTIONS, severities=rating.SEVERITIES)
