"""The clerk's own page (我的窗口评价): invite the visit just served to rate it, see the last few."""
from flask import abort
from flask_login import current_user

from .. import clock
from ..access import roles
from ..extensions import db
from ..forms import ConfirmForm
from ..htmx import render
from ..once import once
from ..refusals import refused
from ..roles import READERS
from . import bp, visits
from .evaluator import EvaluatorError


def _window_page(message="", ok=False, status=200):
    window = visits.clerk_window(current_user)
    rows = visits.recent(window.id) if window else []
    return render("ratings/window.html", "ratings/_window.html", status=status, window=window, rows=rows,
                  now=clock.now(), message=message, ok=ok)


@bp.route("/window")
@roles(*READERS)
def window():
    """Show the clerk's window: the invite button and the last visits with their state (never the rater)."""
    return _window_page()


@bp.route("/window/invite", methods=["POST"])
@roles(*READERS)
@once
def invite():
    """Invite the visit just served to rate it on the window's evaluator (一次一评)."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        visits.invite(current_user)
    except EvaluatorError as error:
        return refused(error, lambda message, status: _window_page(message, status=status))
    db.session.commit()
    return _window_page("已邀请评价，请群众在评价器上评价", ok=True)
