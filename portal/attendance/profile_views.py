"""Import profiles (导入方案): the presets, and the hall's own column mappings for punch files."""
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..access import roles
from ..imports import profiles as saved_profiles
from ..refusals import Refusal, refused
from ..roles import ATTENDANCE_KEEPERS
from . import bp, service
from .forms import ProfileForm
from .punches import SPEC


def _columns_text(value) -> str:
    return "，".join(map(str, value)) if isinstance(value, list) else ("" if value is None else str(value))


def _columns_from(form_data, fields) -> dict:
    out = {}
    for f in fields:
        text = (form_data.get(f"col_{f.name}") or "").replace("，", ",").strip()
        parts = [p.strip() for p in text.split(",") if p.strip()]
        values = [int(p) if p.isdigit() else p for p in parts]
        if values:
            out[f.name] = values if f.many else values[0]
    return out


def _page(message="", status=200, form=None, base=None):
    hall_id = current_user.hall_id
    base = base or service.profiles(hall_id)[0]
    if form is None:
        form = ProfileForm(formdata=None, name=base.name, source=base.mapping.get("options", {}).get("source", ""),
                           encoding=base.encoding, delimiter=base.mapping.get("delimiter", "auto"),
                           skip_rows=base.skip_rows, header=base.mapping.get("header", True))
    if request.method == "POST":
        columns = {f.name: request.form.get(f"col_{f.name}", "") for f in SPEC.fields}
    else:
        columns = {f.name: _columns_text(base.mapping.get("columns", {}).get(f.name)) for f in SPEC.fields}
    return render_template("attendance/profiles.html", form=form, base=base, columns=columns, spec=SPEC,
                           profiles=service.profiles(hall_id), message=message), status


@bp.route("/profiles")
@roles(*ATTENDANCE_KEEPERS)
def profiles():
    """Show the punch profiles and the editor, filled from the one chosen (?from=name)."""
    name = request.args.get("from")
    try:
        base = service.profile(current_user.hall_id, name) if name else None
    except Refusal as e:
        return refused(e, _page)
    return _page(base=base)


@bp.route("/profiles", methods=["POST"])
@roles(*ATTENDANCE_KEEPERS)
def profile_save():
    """Save a named profile for the hall (a preset saved under its own name becomes the hall's version)."""
    form = ProfileForm()
    if not form.validate_on_submit():
        return _page("请检查填写的内容", 422, form)
    mapping = {"columns": _columns_from(request.form, SPEC.fields), "header": form.header.data,
               "delimiter": form.delimiter.data, "options": {"source": form.source.data.strip()}}
    try:
        row = saved_profiles.save(current_user.hall_id, SPEC.kind, form.name.data, mapping, form.encoding.data,
                                  form.skip_rows.data, current_user)
    except Refusal as e:
        return refused(e, _page, form=form)
    flash(f"已保存导入方案“{row.name}”", "ok")
    return redirect(url_for("attendance.profiles", **{"from": row.name}), 303)
