"""The hall switcher of county roles: act in one station, every page then works for that station."""

from flask import abort, redirect, request, url_for
from flask_login import current_user

from .. import hallscope
from ..access import roles
from ..audit import service as audit
from ..htmx import render
from ..months import from_args as requested_month
from ..roles import COUNTY
from . import bp, league, service


def switcher_context():
    """Give the top bar the halls a county role may switch between (nothing for anyone else)."""
    if not getattr(current_user, "is_authenticated", False) or not hallscope.is_county(current_user):
        return {}
    return {"county_halls": service.halls(current_user), "acting_hall_id": current_user.hall_id}


@bp.route("/hall", methods=["POST"])
@roles(*COUNTY)
def switch_hall():
    """Act in another hall under the county (kept in the session, checked on every request)."""
    hall_id = request.form.get("hall_id", type=int)
    if hall_id is None or not hallscope.may_act_in(current_user, hall_id):
        abort(404)
    hallscope.act_in(current_user, hall_id, remember=True)
    audit.record_now("county.hall_switch", "hall", hall_id, "ok", {})
    return redirect(url_for("home.index"))


def _neighbours(year: int, month: int) -> tuple[str, str]:
    before = f"{year - 1}-12" if month == 1 else f"{year}-{month - 1:02d}"
    after = f"{year + 1}-01" if month == 12 else f"{year}-{month + 1:02d}"
    return before, after


@bp.route("/")
@roles(*COUNTY)
def index():
    """The county's pages open on the league table."""
    return redirect(url_for("county.league_table"))


@bp.route("/league")
@roles(*COUNTY)
def league_table():
    """Compare the county's halls in a month: patrols, findings and the score ledger."""
    year, month = requested_month()
    rows = league.table(service.halls(current_user), year, month)
    before, after = _neighbours(year, month)
    return render("county/league.html", "county/_league.html", rows=rows, year=year, month=month,
                  before=before, after=after)
