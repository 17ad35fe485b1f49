"""The hall switcher of county roles: act in one station, every page then works for that station."""
from flask import abort, redirect, request, url_for
from flask_login import current_user

from .. import hallscope
from ..access import roles
from ..audit import service as audit
from ..roles import COUNTY
from . import bp, service


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
