"""Admin pages for the rulebook and the working-day calendar."""

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user

from ..access import roles
from ..forms import ConfirmForm
from ..htmx import render, wants_fragment
from ..roles import Role
from . import bp, service
from .forms import SettingForm


@bp.route("/rulebook")
@roles(Role.ADMIN)
def settings():
    """Show every rulebook value, grouped, each editable in place."""
    return render("rulebook/settings.html", "rulebook/settings.html", groups=service.grouped(),
                  rules=service, station=service.is_station(current_user.hall_id))


@bp.route("/rulebook/<key>/open", methods=["POST"])
@roles(Role.ADMIN)
def setting_open(key):
    """Let each station set this value for itself, or take that back (the county's rulebook only)."""
    defn = service.DEFINITIONS.get(key) or abort(404)
    station = service.is_station(current_user.hall_id)
    if station or not ConfirmForm().validate_on_submit():
        abort(404 if station else 400)
    error = service.set_overridable(key, request.form.get("open") == "1", current_user)
    return render("rulebook/settings.html", "rulebook/_row.html", defn=defn, rules=service, saved=error is None,
                  groups=service.grouped(), station=False, message=error, message_key=key,
                  status=409 if error else 200)


@bp.route("/rulebook/<key>", methods=["GET", "POST"])
@roles(Role.ADMIN)
def setting_edit(key):
    """Edit one rulebook value; the change is versioned with who, when and why."""
    defn = service.DEFINITIONS.get(key) or abort(404)
    form = SettingForm()
    if request.method == "GET":
        form.value.data = service.raw_value(key)
        if request.args.get("cancel"):
            return render("rulebook/settings.html", "rulebook/_row.html", defn=defn, rules=service,
                          groups=service.grouped(), station=service.is_station(current_user.hall_id))
    elif form.validate_on_submit():
        error = service.change(key, form.value.data, current_user, (form.reason.data or "").strip())
        if error is None:
            if not wants_fragment():
                flash(f"已保存：{defn.label}", "ok")
                return redirect(url_for("rulebook.settings") + f"#rule-{key}")
            return render("rulebook/settings.html", "rulebook/_row.html", defn=defn, rules=service,
                          saved=True, groups=service.grouped(), station=service.is_station(current_user.hall_id))
        form.value.errors.append(error)
    status = 422 if form.errors else 200
    return render("rulebook/setting_edit.html", "rulebook/_row_form.html", status=status,
                  defn=defn, form=form, rules=service)


@bp.route("/rulebook/history")
@roles(Role.ADMIN)
def history():
    """List rulebook changes, newest first."""
    key = request.args.get("key") or None
    return render("rulebook/history.html", "rulebook/history.html",
                  changes=service.history(current_user.hall_id, key), defs=service.DEFINITIONS, key=key)

