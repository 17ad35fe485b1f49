"""Home pages by role, and /healthz."""
from flask import jsonify, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import text

from .. import clock
from ..access import public, signed_in
from ..duty import log as duty_log
from ..duty import service as duty
from ..extensions import db
from ..notices import service as notices
from ..patrol import service as patrol
from ..roles import Role
from ..rulebook import calendar
from ..sitin import service as sitin
from . import bp, tiles


@bp.route("/")
@signed_in
def index():
    """Show the home page of the person's main role."""
    user = current_user
    if user.primary_role == Role.AUDITOR:
        return redirect(url_for("audit.index"))
    warnings = []
    if user.has_role(Role.ADMIN):
        warnings = [f"{y} 年的法定节假日和调休安排尚未录入，工作日按周一至周五计算。请在“工作日历”中录入。"
                    for y in calendar.missing_years()]
    sitin_panel = sitin.leader_panel(user) if user.has_role(Role.WINDOW_LEADER) else None
    duty_major = duty_log.major_open(user.hall_id) if user.has_role(Role.ADMIN, Role.GENERAL_DUTY) else None
    patrol_status = (patrol.rounds_status(clock.today(), user.hall_id)
                     if user.has_role(Role.SUPERVISOR, Role.DUTY_LEADER, Role.GENERAL_DUTY) else None)
    return render_template("home/index.html", sections=tiles.sections_for(user), warnings=warnings,
                           sitin_panel=sitin_panel, must_read=notices.unread_must_read(user),
                           duty_major=duty_major, patrol_status=patrol_status,
                           on_duty=user.has_role(Role.DUTY_LEADER) and _holds_desk(user))


def _holds_desk(user) -> bool:
    leader = duty.holder_now(user.hall_id).leader
    return leader is not None and leader.id == user.id


@bp.route("/healthz")
@public
def healthz():
    """Answer 200 after a real database round trip, 503 if the database is unreachable."""
    try:
        db.session.execute(text("SELECT 1")).scalar_one()
    except Exception:  # noqa: BLE001 - any database failure means "not healthy"
        db.session.rollback()
        return jsonify(status="error", db="unreachable"), 503
    return jsonify(status="ok", db="ok")
