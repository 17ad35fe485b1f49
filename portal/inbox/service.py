"""The inbox as a person sees it: items grouped by due date, their time left, reminders, the center's view."""
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import session
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from .. import clock
from ..auth.models import User
from ..extensions import db
from . import registry, worktime
from .models import InboxReminder

GROUPS = {"overdue": "过期", "today": "今天", "week": "本周", "later": "以后"}
SHOWN_REMINDERS = 20


@dataclass(frozen=True)
class Row:
    """An item as the inbox lists it: its group and time left on the hall's working calendar."""

    item: registry.Item
    group: str
    left: str


def group_of(deadline: datetime, now: datetime) -> str:
    """Return the due-date group of a deadline: overdue, today, this week (to Sunday) or later."""
    if deadline <= now:
        return "overdue"
    day, today = clock.local(deadline).date(), clock.local(now).date()
    if day == today:
        return "today"
    return "week" if day <= today + timedelta(days=6 - today.weekday()) else "later"


def row(item: registry.Item, now: datetime) -> Row:
    """Return an item as the inbox lists it."""
    return Row(item, group_of(item.deadline, now), worktime.time_left(item.deadline, now))


def grouped(items, now: datetime | None = None) -> list[tuple[str, str, list[Row]]]:
    """Return (group, label, rows) for the groups that hold items, in the order 过期, 今天, 本周, 以后."""
    now = now or clock.now()
    rows: dict[str, list[Row]] = {g: [] for g in GROUPS}
    for item in items:
        rows[group_of(item.deadline, now)].append(row(item, now))
    return [(g, GROUPS[g], rows[g]) for g in GROUPS if rows[g]]


def reminders_of(user) -> list[InboxReminder]:
    """Return the person's latest reminders, newest first."""
    return db.session.execute(select(InboxReminder).where(InboxReminder.user_id == user.id)
                              .order_by(InboxReminder.given_at.desc(), InboxReminder.id.desc())
                              .limit(SHOWN_REMINDERS)).scalars().all()


def overdue_by_person(hall_id: int, now: datetime | None = None) -> list[tuple[str, list]]:
    """Return the hall's overdue items by department, then person: [(department, [(person, items)])]."""
    now = now or clock.now()
    people = db.session.execute(select(User).where(User.hall_id == hall_id, User.active.is_(True))
                                .options(joinedload(User.department))
                                .order_by(User.department_id, User.name)).scalars().all()
    waiting = registry.collect_hall(hall_id, people, now)
    by_dept: dict[str, list] = {}
    for person in people:
        late = [i for i in waiting[person.id] if i.deadline <= now]
        if late:
            dept = person.department.name if person.department else "（未分部门）"
            by_dept.setdefault(dept, []).append((person, late))
    return sorted(by_dept.items(), key=lambda kv: -sum(len(items) for _p, items in kv[1]))


# --- the top bar's poll: its entity tag ----------------------------------------------------------

def valid_until(items, now: datetime) -> datetime:
    """Return when the bar's count may next change without a write: a deadline, a start, the next hour."""
    hour = (clock.local(now) + timedelta(hours=1)).replace(minute=0, second=0, microsecond=0)
    moments = [m for i in items for m in (i.deadline, i.starts) if m is not None and m > now]
    return min([hour, *moments])


def etag(user_id, version: int, until: datetime, fragment: bool) -> str:
    """Return the bar's entity tag: the person, the hall's inbox version and until when it holds."""
    return f'inbox-{user_id}-{version}-{int(until.timestamp())}-{"f" if fragment else "p"}'


def poll_etag(_hall_id: int, version: int, fragment: bool) -> str:
    """Return the client's tag while it still holds (same person and version, its moment not come)."""
    from flask import request
    prefix, suffix = f"inbox-{session.get('_user_id')}-{version}-", f'-{"f" if fragment else "p"}'
    for tag in request.if_none_match.as_set():
        middle = tag[len(prefix):-len(suffix)] if tag.startswith(prefix) and tag.endswith(suffix) else ""
        if middle.isdigit() and int(middle) > clock.now().timestamp():
            return tag
    return "inbox-stale"
