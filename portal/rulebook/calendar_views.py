"""The working-day calendar pages: the county keeps the official days, a station adds only its own."""
from datetime import date

from flask import abort, flash, request
from flask_login import current_user
from sqlalchemy import select

from ..access import roles
from ..extensions import db
from ..forms import ConfirmForm
from ..htmx import render
from ..once import once
from ..records import hall_record
from ..roles import Role
from . import bp, calendar, service
from .forms import CalendarDayForm
from .models import CalendarDay, CalendarYear, HallCalendarDay


def _station() -> bool:
    return service.is_station(current_user.hall_id)


def _year_of(year):
    year = year or request.args.get("year", type=int) or date.today().year
    if not 2000 <= year <= 2100:
        abort(404)
    return year


def _own_days(year: int) -> list[HallCalendarDay]:
    return db.session.execute(select(HallCalendarDay).where(
        HallCalendarDay.hall_id == current_user.hall_id, HallCalendarDay.day >= date(year, 1, 1),
        HallCalendarDay.day <= date(year, 12, 31)).order_by(HallCalendarDay.day)).scalars().all()


def _calendar_panel(form=None, status=200, year=None, changed=None):
    year, station = _year_of(year), _station()
    days = db.session.execute(select(CalendarDay).where(
        CalendarDay.day >= date(year, 1, 1), CalendarDay.day <= date(year, 12, 31))
        .order_by(CalendarDay.day)).scalars().all()
    form = form or CalendarDayForm()
    if station:
        form.kind.choices = list(HallCalendarDay.KINDS.items())
    return render("rulebook/calendar.html", "rulebook/_calendar.html", status=status, year=year,
                  days=days, own=_own_days(year) if station else [], station=station,
                  inherited=_inherited(year) if station else {},
                  entered=db.session.get(CalendarYear, year), form=form,
                  actions=ConfirmForm(), known=year in calendar.package_years(),
                  working=len(calendar.working_days(date(year, 1, 1), date(year, 12, 31))),
                  kinds=CalendarDay.KINDS | HallCalendarDay.KINDS, missing=calendar.missing_years(),
                  changed=changed)


def _inherited(year: int) -> dict:
    """Return the days a room takes from the stations above it (not its own, not the county's)."""
    found = calendar.describe(date(year, 1, 1), date(year, 12, 31))
    return {d: r for d, r in found.items() if r.hall_id not in (None, current_user.hall_id)}


@bp.route("/calendar")
@roles(Role.ADMIN)
def calendar_view():
    """Show one year's holidays, make-up days and the hall's own days."""
    return _calendar_panel()


@bp.route("/calendar/days", methods=["POST"])
@roles(Role.ADMIN)
@once
def calendar_add():
    """Add a holiday, make-up working day, closure or extra day (a station: its own closure or extra day)."""
    form = CalendarDayForm()
    if _station():
        form.kind.choices = list(HallCalendarDay.KINDS.items())
    if form.validate_on_submit():
        if _station():
            return _add_own(form)
        if db.session.execute(select(CalendarDay).where(CalendarDay.day == form.day.data)).scalar():
            form.day.errors.append("这一天已有设置，请先删除原设置")
        else:
            db.session.add(CalendarDay(day=form.day.data, kind=form.kind.data,
                                       name=(form.name.data or "").strip(), source="admin"))
            db.session.commit()
            flash(f"已设置 {form.day.data}：{CalendarDay.KINDS[form.kind.data]}", "ok")
            return _calendar_panel(year=form.day.data.year, changed=form.day.data)
    return _calendar_panel(form=form, status=422)


def _add_own(form):
    """Add the station's own closure or extra day (the county's official days stay the county's)."""
    day = form.day.data
    taken = select(HallCalendarDay).where(HallCalendarDay.hall_id == current_user.hall_id, HallCalendarDay.day == day)
    if db.session.execute(taken).scalar():
        form.day.errors.append("本站这一天已有设置，请先删除原设置")
        return _calendar_panel(form=form, status=422)
    db.session.add(HallCalendarDay(hall_id=current_user.hall_id, day=day, kind=form.kind.data,
                                   name=(form.name.data or "").strip()))
    db.session.commit()
    flash(f"已设置本站 {day}：{HallCalendarDay.KINDS[form.kind.data]}", "ok")
    return _calendar_panel(year=day.year, changed=day)


@bp.route("/calendar/days/<int:day_id>/delete", methods=["POST"])
@roles(Role.ADMIN)
def calendar_remove(day_id):
    """Remove a calendar exception (the day follows the weekday rule again); the county's only."""
    if _station():
        abort(404)
    row = db.session.get(CalendarDay, day_id) or abort(404)
    if ConfirmForm().validate_on_submit():
        year = row.day.year
        db.session.delete(row)
        db.session.commit()
        flash(f"已删除 {row.day} 的设置", "ok")
        return _calendar_panel(year=year, changed=row.day)
    return _calendar_panel(status=400)


@bp.route("/calendar/own/<int:day_id>/delete", methods=["POST"])
@roles(Role.ADMIN)
def calendar_remove_own(day_id):
    """Remove one of the station's own days (the county's calendar holds for it again)."""
    row = hall_record(HallCalendarDay, day_id, hall_id=current_user.hall_id)
    if ConfirmForm().validate_on_submit():
        db.session.delete(row)
        db.session.commit()
        flash(f"已删除本站 {row.day} 的设置", "ok")
        return _calendar_panel(year=row.day.year, changed=row.day)
    return _calendar_panel(status=400)


@bp.route("/calendar/<int:year>/import", methods=["POST"])
@roles(Role.ADMIN)
@once
def calendar_import(year):
    """Fill a year from the chinese-calendar package, where it knows the year (the county's calendar)."""
    if _station():
        abort(404)
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
    """Mark a year's official schedule as fully entered by hand (the county's calendar)."""
    if _station():
        abort(404)
    if ConfirmForm().validate_on_submit():
        calendar.mark_year_entered(year)
        flash(f"已确认 {year} 年节假日安排录入完毕", "ok")
    return _calendar_panel(year=year)
