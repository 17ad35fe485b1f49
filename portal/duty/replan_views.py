"""The roster days a calendar change affects, and re-planning the rotation from that day (admin)."""
from datetime import date

from flask import request
from flask_login import current_user

from ..access import roles
from ..database import commit_write
from ..htmx import render
from ..refusals import refused
from ..roles import Role
from ..rulebook import calendar
from . import bp, replan
from .service import DutyError


def _since() -> date | None:
    try:
        return date.fromisoformat(request.args.get("since", ""))
    except ValueError:
        return None


def _panel(message="", status=200, since=None):
    found = replan.impact(current_user.hall_id, since or _since())
    names = calendar.describe(found.since, found.last) if found.last else {}
    return render("duty/replan.html", "duty/_replan.html", status=status, impact=found, names=names,
                  message=message, ok=status == 200 and bool(message))


@bp.route("/replan")
@roles(Role.ADMIN)
def replan_page():
    """Show the roster days from a day on that no longer match the working-day calendar."""
    return _panel()


@bp.route("/replan", methods=["POST"])
@roles(Role.ADMIN)
def replan_post():
    """Lay the rotation again from a day to the end of the roster; past days never move."""
    since = _since()
    try:
        n = replan.replan(current_user.hall_id, since or replan.impact(current_user.hall_id).since)
    except DutyError as e:
        return refused(e, _panel)
    commit_write()
    return _panel(f"已重新排班：{n} 个工作日（已过去和已开始的值班日不变）", since=since)
