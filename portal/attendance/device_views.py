"""Devices and their user ids: registered push devices, unmapped ids with their punches, mapping an id once."""
from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from ..access import roles
from ..once import once
from ..refusals import Refusal, refused
from ..roles import ATTENDANCE_KEEPERS
from . import adms, bp, devices
from .forms import DeviceForm, MapForm


def _page(message="", status=200):
    hall_id = current_user.hall_id
    return render_template("attendance/device_users.html", unmapped=devices.unmapped(hall_id),
                           mapped=devices.mapped(hall_id), people=devices.people(hall_id),
                           labels=devices.SOURCE_LABELS, message=message), status


@bp.route("/device-users")
@roles(*ATTENDANCE_KEEPERS)
def device_users():
    """List device ids with punches but no person, and those already mapped."""
    return _page()


@bp.route("/device-users/map", methods=["POST"])
@roles(*ATTENDANCE_KEEPERS)
@once
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


def _devices_page(message="", status=200, form=None):
    return render_template("attendance/devices.html", devices=adms.devices(current_user.hall_id),
                           form=form or DeviceForm(formdata=None, field_order=adms.DEFAULT_ORDER),
                           tokens=adms.FIELD_TOKENS, message=message), status


@bp.route("/devices")
@roles(*ATTENDANCE_KEEPERS)
def devices_page():
    """List the registered push devices with when each was last heard from, and the form to register one."""
    return _devices_page()


@bp.route("/devices", methods=["POST"])
@roles(*ATTENDANCE_KEEPERS)
@once
def device_register():
    """Register a device's serial number and the field order of its punch lines."""
    form = DeviceForm()
    if not form.validate_on_submit():
        return _devices_page("请检查填写的内容", 422, form)
    try:
        device = adms.register(current_user.hall_id, form.serial.data, form.name.data, form.field_order.data,
                               current_user)
    except Refusal as e:
        return refused(e, _devices_page, form=form)
    flash(f"已登记设备 {device.serial}", "ok")
    return redirect(url_for("attendance.devices_page"), 303)
