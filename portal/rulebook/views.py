"""Admin pages for the rulebook and the working-day calendar."""
from datetime import date

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import select

from ..access import roles
from ..extensions import db
from ..forms import ConfirmForm
from ..htmx import render, wants_fragment
from ..once import once
from ..roles import Role
from . import bp, calendar, service
from .forms import CalendarDayForm, SettingForm
from .models import CalendarDay, CalendarYear


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
    service.set_overridable(key, request.form.get("open") == "1", current_user)
    return render("rulebook/settings.html", "rulebook/_row.html", defn=defn, rules=service, saved=True,
                  groups=service.grouped(), station=False)


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


# --- the working-day calendar ---------------------------------------------------------

def _calendar_panel(form=None, status=200, year=None, changed=None):
    year = year or request.args.get("year", type=int) or date.today().year
    if not 2000 <= year <= 2100:
        abort(404)
    days = db.session.execute(select(CalendarDay).where(
        CalendarDay.day >= date(year, 1, 1), CalendarDay.day <= date(year, 12, 31))
        .order_by(CalendarDay.day)).scalars().all()
    return render("rulebook/calendar.html", "rulebook/_calendar.html", status=status, year=year,
                  days=days, entered=db.session.get(CalendarYear, year), form=form or CalendarDayForm(),
                  actions=ConfirmForm(), known=year in calendar.package_years(),
                  working=len(calendar.working_days(date(year, 1, 1), date(year, 12, 31))),
                  kinds=CalendarDay.KINDS, missing=calendar.missing_years(), changed=changed)


@bp.route("/calendar")
@roles(Role.ADMIN)
def calendar_view():
    """Show one year's holidays, make-up days and the hall's own days."""
    return _calendar_panel()


@bp.route("/calendar/days", methods=["POST"])
@roles(Role.ADMIN)
@once
def calendar_add():
    """Add a holiday, make-up working day, closure or extra day."""
    form = CalendarDayForm()
    if form.validate_on_submit():
        if db.session.execute(select(CalendarDay).where(CalendarDay.day == form.day.data)).scalar():
            form.day.errors.append("这一天已有设置，请先删除原设置")
        else:
            db.session.add(CalendarDay(day=form.day.data, kind=form.kind.data,
                                       name=(form.name.data or "").strip(), source="admin"))
            db.session.commit()
            flash(f"已设置 {form.day.data}：{CalendarDay.KINDS[form.kind.data]}", "ok")
            return _calendar_panel(year=form.day.data.year, changed=form.day.data)
    return _calendar_panel(form=form, status=422)


@bp.route("/calendar/days/<int:day_id>/delete", methods=["POST"])
@roles(Role.ADMIN)
def calendar_remove(day_id):
    """Remove a calendar exception (the day follows the weekday rule again)."""
    row = db.session.get(CalendarDay, day_id) or abort(404)
    if ConfirmForm().validate_on_submit():
        year = row.day.year
        db.session.delete(row)
        db.session.commit()
        flash(f"已删除 {row.day} 的设置", "ok")
        return _calendar_panel(year=year, changed=row.day)
    return _calendar_panel(status=400)


@bp.route("/calendar/<int:year>/import", methods=["POST"])
@roles(Role.ADMIN)
@once
def calendar_import(year):
    """Fill a year from the chinese-calendar package, where it knows the year."""
    if ConfirmForm().validate_on_submit():
        try:
            added = calendar.import_year(year)
            flash(f"已导入 {year} 年国务院节假日安排，新增 {added} 天", "ok")
            return _calendar_panel(year=year, changed=date(year, 1, 1))
        except ValueError as exc:
            flash(str(exc), "error")
            return _calendar_panel(year=year, status=409)
    return _calendar_panel(year=year)


@bp.route("/calendar/<int:year>/entered", methods=["POST"])
@roles(Role.ADMIN)
def calendar_entered(year):
    """Mark a year's official schedule as fully entered by hand."""
    if ConfirmForm().validate_on_submit():
        calendar.mark_year_entered(year)
        flash(f"已确认 {year} 年节假日安排录入完毕", "ok")
    return _calendar_panel(year=year)
