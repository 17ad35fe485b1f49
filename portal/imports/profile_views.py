"""The shared profile pages (导入方案): the presets, and the hall's own named column mappings."""
from flask import flash, redirect, render_template, request
from flask_login import current_user

from ..once import once
from ..refusals import Refusal, refused
from . import profiles as saved_profiles
from .pages import ImportPages


def _columns_text(value) -> str:
    return "，".join(map(str, value)) if isinstance(value, list) else ("" if value is None else str(value))


def _columns_from(form_data, fields) -> dict:
    """Read the column of each field: a header name or a position, several comma-separated for a wide field."""
    out = {}
    for f in fields:
        text = (form_data.get(f"col_{f.name}") or "").replace("，", ",").strip()
        parts = [p.strip() for p in text.split(",") if p.strip()]
        values = [int(p) if p.isdigit() else p for p in parts]
        if values:
            out[f.name] = values if f.many else values[0]
    return out


def _form_of(pages: ImportPages, base):
    options = base.mapping.get("options", {})
    return pages.profile_form(formdata=None, name=base.name, encoding=base.encoding, skip_rows=base.skip_rows,
                              delimiter=base.mapping.get("delimiter", "auto"), header=base.mapping.get("header", True),
                              **{name: options.get(name, "") for name, _ in pages.options})


def _page(pages: ImportPages, message="", status=200, form=None, base=None):
    hall_id, fields = current_user.hall_id, pages.spec.fields
    base = base or pages.profiles(hall_id)[0]
    form = form or _form_of(pages, base)
    if request.method == "POST":
        columns = {f.name: request.form.get(f"col_{f.name}", "") for f in fields}
    else:
        columns = {f.name: _columns_text(base.mapping.get("columns", {}).get(f.name)) for f in fields}
    return render_template("imports/profiles.html", pages=pages, form=form, base=base, columns=columns,
                           spec=pages.spec, profiles=pages.profiles(hall_id), message=message), status


def profiles(pages: ImportPages):
    """Show the profiles and the editor, filled from the one chosen (?from=name)."""
    name = request.args.get("from")
    try:
        base = pages.profile(current_user.hall_id, name) if name else None
    except Refusal as e:
        return refused(e, lambda **kw: _page(pages, **kw))
    return _page(pages, base=base)


@once
def profile_save(pages: ImportPages):
    """Save a named profile for the hall (a preset saved under its own name becomes the hall's version)."""
    form = pages.profile_form()
    if not form.validate_on_submit():
        return _page(pages, "请检查填写的内容", 422, form)
    mapping = {"columns": _columns_from(request.form, pages.spec.fields), "header": form.header.data,
               "delimiter": form.delimiter.data,
               "options": {name: form[name].data.strip() for name, _ in pages.options}}
    try:
        row = saved_profiles.save(current_user.hall_id, pages.spec.kind, form.name.data, mapping, form.encoding.data,
                                  form.skip_rows.data, current_user)
    except Refusal as e:
        return refused(e, lambda **kw: _page(pages, form=form, **kw))
    flash(f"已保存导入方案“{row.name}”", "ok")
    return redirect(pages.at("profiles", **{"from": row.name}), 303)
