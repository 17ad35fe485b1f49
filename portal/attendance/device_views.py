"""Device user ids (考勤号): the unmapped ones with their punches, and mapping one to a person."""
from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from ..access import roles
from ..refusals import Refusal, refused
from . import bp, devices
from .forms import MapForm
from .import_views import IMPORTERS


def _page(message="", status=200):
    hall_id = current_user.hall_id
    return render_template("attendance/device_users.html", unmapped=devices.unmapped(hall_id),
                           mapped=devices.mapped(hall_id), people=devices.people(hall_id),
                           labels=devices.SOURCE_LABELS, message=message), status


@bp.route("/device-users")
@roles(*IMPORTERS)
def device_users():
    """List device ids with punches but no person, and those already mapped."""
    return _page()


@bp.route("/device-users/map", methods=["POST"])
@roles(*IMPORTERS)
def device_user_map():
    """Map one device id to a person; its punches, past and future, count for them."""
    form = MapForm()
    if not form.validate_on_submit():
        return _page("请选择人员", 422)
    try:
        row = devices.map_id(current_user.hall_id, form.source.data, form.device_user_id.data,
                             form.user_id.data, current_user)
    except Refusal as e:
        return refused(e, _page)
    flash(f"考勤号 {row.device_user_id} 已对应到{row.user.name}", "ok")
    return redirect(url_for("attendance.device_users"), 303)
