"""The inbox pages: the list, the top bar's count and its poll, an item's link, the center's overdue view."""
from flask import current_app, redirect
from flask_login import current_user

from .. import clock, polls
from ..access import roles, signed_in
from ..htmx import render, wants_fragment
from ..records import refuse_record
from ..roles import Role
from . import bp, pulse, registry, service, worktime

CENTER = (Role.ADMIN, Role.GENERAL_DUTY)


DESK = (Role.DUTY_LEADER, Role.GENERAL_DUTY, Role.ADMIN)


def init_app(_app) -> None:
    """Let the bar's unchanged polls be answered from one query."""
    polls.register("inbox.bar", tuple(Role), version=pulse.version_column, etag=service.poll_etag,
                   version_table="inbox_pulse")


@bp.route("/")
@signed_in
def index():
    """Show what waits for me, grouped by due date, with the reminders I was given."""
    now = clock.now()
    with registry.reading():  # the sources and the time left of each item share what they read
        items = registry.collect(current_user, now=now)
        groups = service.grouped(items, now)
    return render("inbox/index.html", "inbox/_list.html", groups=groups, total=len(items),
                  reminders=service.reminders_of(current_user), center=current_user.has_role(*CENTER))


@bp.route("/bar")
@signed_in
def bar():
    """Answer the top bar's poll: the count of what waits for me and the most urgent item."""
    now = clock.now()
    version = pulse.version(current_user.hall_id)
    items = registry.collect(current_user, now=now, shown=False)
    shown = [i for i in items if i.starts is None or i.starts <= now]
    tag = service.etag(current_user.id, version, service.valid_until(items, now), wants_fragment())
    response = render("inbox/bar.html", "inbox/_bar.html", bar=bar_context(shown, now), etag=tag)
    response.set_etag(tag)
    return response


def bar_context(items, now) -> dict:
    """Return what the bar shows: how many, how many overdue, the first item's title."""
    return {"count": len(items), "overdue": sum(1 for i in items if i.deadline <= now),
            "first": items[0] if items else None,
            "poll": current_app.config.get("INBOX_POLL_SECONDS", 60)}


@bp.route("/go/<path:key>")
@signed_in
def go(key):
    """Open the page of one of my items; another person's item is refused like their record."""
    item = registry.find(current_user, key)
    if item is None:
        _source, _, rest = key.partition(":")
        record_type, _, record_id = rest.partition(":")
        refuse_record((record_type or "inbox_item")[:64], (record_id or key)[:64], "not in the person's inbox")
    return redirect(item.link)


@bp.route("/overdue")
@roles(*CENTER)
def overdue():
    """Show what is overdue across the hall, by department and person (for the center)."""
    now = clock.now()
    with registry.reading():  # the hall's sources, and the time left of each item, read once
        by_dept = service.overdue_by_person(current_user.hall_id, now)
        return render("inbox/overdue.html", "inbox/_overdue.html", by_dept=by_dept, now=now,
                      total=sum(len(items) for _d, people in by_dept for _p, items in people),
                      may_open=lambda link: registry.may_open(current_user, link), left=worktime.time_left)


@bp.route("/desk")
@roles(*DESK)
def desk():
    """Show the duty desk's own items: those of whoever holds the desk now (a panel the desk loads)."""
    now = clock.now()
    holder = registry.desk_holder(current_user.hall_id, now)
    items = registry.collect(holder, now=now, desk=True) if holder else []
    rows = [service.row(i, now) for i in items if registry.may_open(current_user, i.link)]
    return render("inbox/desk.html", "inbox/_desk_items.html", rows=rows, holder=holder)
