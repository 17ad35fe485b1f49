"""The public tracking page (/track): a complainant reads where their case stands."""
from flask import request

from ..access import public
from ..htmx import render
from . import track, track_bp
from .service import ComplaintError


def _address() -> str:
    return (request.remote_addr or "")[:64]


@track_bp.route("/track", methods=["GET", "POST"])
@public
def track_page():
    """Look a case up by its number and query code (办理进度查询)."""
    if request.method == "GET":
        return render("complaints/track.html", "complaints/_track.html", view=None, message="")
    try:
        view = track.look_up(request.form.get("number", ""), request.form.get("code", ""), _address())
    except ComplaintError as e:
        return render("complaints/track.html", "complaints/_track.html", status=e.status, view=None,
                      message=e.message)
    return render("complaints/track.html", "complaints/_track.html", view=view, message="")
