"""The case inbox sources: cases due soon for their clerk and window leader, and the desk's reminders."""
from datetime import datetime, timedelta

from flask import url_for

from .. import clock
from ..inbox import registry
from ..roles import Role
from .deadlines import DUE_SOON, OVERDUE, WARN_STATES
from .desk import reminders_since
from .service import open_cases

TITLES = {DUE_SOON: "办件即将到期", "due_today": "办件今日到期", OVERDUE: "办件已超期"}
WINDOW_PEOPLE = (Role.STAFF, Role.WINDOW_LEADER)
REMINDERS_KEPT = timedelta(days=90)  # older reminders are history, not a to-do


def init_app(_app) -> None:
    """Register the case sources with the inbox."""
    registry.register("cases.due", due_cases, label="限时办结", roles=WINDOW_PEOPLE, watches=("case_report",))
    registry.register("cases.reminded", reminded, label="值班长提醒", roles=WINDOW_PEOPLE,
                      watches=("case_report", "case_reminder"))


def _mine(person, case) -> bool:
    """A clerk's own cases; a window leader's department's cases."""
    if case.clerk_id == person.id:
        return True
    return person.has_role(Role.WINDOW_LEADER) and case.window.department_id == person.department_id


def due_cases(person, hall_id: int, now: datetime) -> list[registry.Item]:
    """Open cases due soon, due today or overdue, for their clerk and their unit's window leader."""
    return [registry.Item(
        source="cases.due", title=TITLES[c.deadline.state],
        detail=f"{c.number} {c.item_name}（{c.window.number}号窗口）{c.deadline.describe}",
        link=url_for("cases.case_page", number=c.number), deadline=c.deadline.due_at, record_type="case_report",
        record_id=c.number, severity="warn" if c.deadline.state == DUE_SOON else "urgent")
        for c in registry.shared(open_cases, hall_id, clock.local(now).date(), False)
        if c.deadline.state in WARN_STATES and _mine(person, c)]


def reminded(person, hall_id: int, now: datetime) -> list[registry.Item]:
    """The duty leader's reminders to the person's window, while a case they named is still open."""
    today = clock.local(now).date()
    still_open = {c.number: c for c in registry.shared(open_cases, hall_id, today, False) if _mine(person, c)
                  or c.window_id == person.window_id}
    items = []
    for r in registry.shared(reminders_since, hall_id, now - REMINDERS_KEPT):
        named = [still_open[n] for n in r.numbers.split(",") if n in still_open]
        if not named or not (r.window_id == person.window_id or any(_mine(person, c) for c in named)):
            continue
        items.append(registry.Item(
            source="cases.reminded", title="值班长提醒办件期限",
            detail=f"{r.reminded_by.name}于{clock.local(r.reminded_at):%m月%d日 %H:%M}提醒{r.window.number}号窗口："
                   + "、".join(c.number for c in named),
            link=url_for("cases.mine"), deadline=min(c.deadline.due_at for c in named),
            record_type="case_reminder", record_id=r.id, severity="urgent"))
    return items
