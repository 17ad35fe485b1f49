"""Reminders (提醒): recorded when an item comes due or falls overdue, once, and only in working hours."""
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .. import clock, scheduled
from ..auth.models import User
from ..extensions import db
from . import registry, worktime
from .models import InboxReminder


def moments(item: registry.Item) -> list[tuple[str, datetime]]:
    """Return the item's reminder moments: it comes due when its deadline's day opens, overdue at the deadline."""
    day = clock.local(item.deadline).date()
    due = min(worktime.opening(day) or item.deadline, item.deadline)
    if item.starts is not None:
        due = max(due, item.starts)
    return [("due", due), ("overdue", item.deadline)]


def _latest_passed(item: registry.Item, now: datetime) -> tuple[str, datetime] | None:
    passed = [(kind, moment) for kind, moment in moments(item) if worktime.next_working_moment(moment) <= now]
    return passed[-1] if passed else None


def remind_person(person, now: datetime, items=None) -> list[InboxReminder]:
    """Record the person's reminders that are due now and not given yet (the latest moment of each item).

    items: what waits for the person now, when already collected (for the whole hall at once).
    """
    given = set(db.session.execute(select(InboxReminder.item_key, InboxReminder.kind, InboxReminder.deadline)
                                   .where(InboxReminder.user_id == person.id)).all())
    added = []
    for item in registry.collect(person, now=now) if items is None else items:
        passed = _latest_passed(item, now)
        if passed is None or (item.key, passed[0], item.deadline) in given:
            continue
        added.append(InboxReminder(hall_id=person.hall_id, user_id=person.id, item_key=item.key, kind=passed[0],
                                   deadline=item.deadline, title=item.title, detail=item.detail[:200],
                                   link=item.link, given_at=now))
    db.session.add_all(added)
    return added


def run(now: datetime | None = None) -> list[str]:
    """Record the reminders due now for everyone; a hall outside its working hours is given nothing."""
    now = now or clock.now()
    lines, open_halls = [], 0
    for hall_id in scheduled.each_hall():
        if not worktime.in_hours(now):  # the hall's own hours and calendar (a station may keep its own)
            continue
        open_halls += 1
        people = db.session.execute(select(User).where(User.hall_id == hall_id, User.active.is_(True))
                                    .order_by(User.id)).scalars().all()
        waiting = registry.collect_hall(hall_id, people, now)  # every source read once for the hall
        for person in people:
            for r in remind_person(person, now, waiting[person.id]):
                lines.append(f"{person.name}：{r.kind_label} {r.title}")
        try:
            db.session.commit()
        except IntegrityError:  # another run gave the same reminders first
            db.session.rollback()
            lines.append(f"大厅 {hall_id} 的提醒已由另一次运行记录")
    return lines if open_halls else [f"{clock.local(now):%Y-%m-%d %H:%M} 不在工作时间，不发提醒"]
