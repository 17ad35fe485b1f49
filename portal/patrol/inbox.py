"""The patrol inbox sources: today's patrols still to do, the quarter's bulletin ready to publish."""
from datetime import date, datetime

from flask import url_for
from sqlalchemy import exists, select

from .. import clock
from ..extensions import db
from ..inbox import registry, worktime
from ..notices.service import document_posted
from ..roles import AUTHORS, PATROLLERS, Role
from ..rulebook import service as rules
from . import service
from .models import PatrolRound
from .reports import quarter_range


def init_app(_app) -> None:
    """Register the patrol sources with the inbox."""
    registry.register("patrol.due", patrols_due, label="今日巡查", roles=PATROLLERS,
                      watches=("patrol_round", "patrol_slot", "duty_day", "duty_override"))
    registry.register("patrol.bulletin", quarterly_bulletin, label="季度巡查通报", roles=AUTHORS,
                      watches=("notice",))


def _answerable(person, hall_id: int, day: date, slot) -> bool:
    """Say whether the person answers for a round: its drawn patroller, else a supervisor or today's leader."""
    if slot is not None and slot.patroller_id:
        return slot.patroller_id == person.id
    leader = registry.shared(service.duty.holder, hall_id, day).leader
    return person.has_role(Role.SUPERVISOR) or (leader is not None and leader.id == person.id)


def patrols_due(person, hall_id: int, now: datetime) -> list[registry.Item]:
    """Rounds of today not done yet: the morning ones by noon, the others by the close (少巡查扣分)."""
    today = clock.local(now).date()
    done, due = registry.shared(service.rounds_status, today, hall_id)
    if done >= due:
        return []
    spans = worktime.spans(today)
    slots = {s.slot: s for s in registry.shared(service.slots_of, hall_id, today)}
    morning = (due + 1) // 2
    items = []
    for n in range(done + 1, due + 1):
        slot = slots.get(n)
        if not _answerable(person, hall_id, today, slot):
            continue
        when = f"（抽定 {clock.local(slot.at):%H:%M}）" if slot else ""
        items.append(registry.Item(
            source="patrol.due", title="今日巡查未完成", detail=f"第 {n} 次巡查{when}，今天已完成 {done}/{due} 次",
            link=url_for("patrol.index"), deadline=spans[0 if n <= morning else -1][1],
            record_type="patrol_day", record_id=f"{today.isoformat()}-{n}", severity="warn"))
    return items


def _patrolled(hall_id: int, start: date, end: date) -> bool:
    """Say whether the hall finished any round from start to before end."""
    return db.session.execute(select(exists().where(
        PatrolRound.hall_id == hall_id, PatrolRound.day >= start, PatrolRound.day < end,
        PatrolRound.finished_at.is_not(None)))).scalar()


def quarterly_bulletin(person, hall_id: int, now: datetime) -> list[registry.Item]:
    """Last quarter's patrol bulletin (巡查通报), ready once the quarter is over, until it is on the board."""
    today = clock.local(now).date()
    year, quarter = (today.year, (today.month - 1) // 3) if today.month > 3 else (today.year - 1, 4)
    start, _next = quarter_range(year, quarter)
    title = f"{year}年第{quarter}季度巡查通报"  # the title patrol.post_bulletin gives it
    if not registry.shared(_patrolled, hall_id, start, _next) or registry.shared(document_posted, hall_id, title):
        return []
    return [registry.Item(
        source="patrol.bulletin", title="季度巡查通报待发布", detail=title, severity="info",
        link=url_for("patrol.index"), record_type="patrol_bulletin", record_id=f"{year}-{quarter}",
        deadline=worktime.close_after(_next, rules.get("patrol.bulletin_days") - 1))]
