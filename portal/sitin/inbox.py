"""The sit-in inbox sources: next week unfiled (坐班未报备), the leader's note, today's check-ins at the desk."""
from datetime import datetime, timedelta

from flask import url_for

from .. import clock
from ..extensions import db
from ..inbox import registry, worktime
from ..org.models import Department
from ..roles import Role
from ..rulebook import service as rules
from .booking import monday_of
from .checkin import expected_on, visits_between
from .weekview import hall_week, week_status


def init_app(_app) -> None:
    """Register the sit-in sources with the inbox."""
    registry.register("sitin.unfiled", unfiled, label="坐班报备", roles=(Role.WINDOW_LEADER,),
                      watches=("sitin_booking",))
    registry.register("sitin.note", notes_due, label="坐班记录", roles=(Role.WINDOW_LEADER,),
                      watches=("sitin_visit",))
    registry.register("sitin.checkin", checkins, label="坐班登记", watches=("sitin_booking", "sitin_visit"),
                      desk=True)


def unfiled(person, hall_id: int, now: datetime) -> list[registry.Item]:
    """Next week's sit-in, for a window leader whose department has not filed it, by the rulebook's deadline."""
    if not person.department_id:
        return []
    monday = monday_of(clock.local(now).date()) + timedelta(weeks=1)
    status = week_status(person.department_id, hall_id, monday, registry.shared(hall_week, hall_id, monday))
    if status.filed or not status.required:
        return []
    return [registry.Item(
        source="sitin.unfiled", title="坐班未报备", record_type="sitin_week", record_id=monday.isoformat(),
        detail=f"下周（{monday:%m月%d日}起）须坐班 {status.required:g} 天，尚未报备",
        link=url_for("sitin.week", start=monday.isoformat()), deadline=status.deadline,
        severity="urgent" if status.deadline_passed else "warn")]


def checkins(person, hall_id: int, now: datetime) -> list[registry.Item]:
    """Today's sit-ins not yet registered at the desk: by the end of the half day booked."""
    today = clock.local(now).date()
    hours = rules.office_hours(today)
    tz = clock.hall_tz()
    items = []
    for s in registry.shared(expected_on, today, hall_id):
        if s.state != "expected":
            continue
        end = hours["am" if s.half == "am" else "pm"][1]
        items.append(registry.Item(
            source="sitin.checkin", title="坐班待登记", record_type="sitin_booking", record_id=s.booking_id,
            detail=f"{s.department} {s.leader}（{s.half_label}）", link=url_for("sitin.today"),
            deadline=datetime.combine(today, end, tzinfo=tz), severity="warn"))
    return items if worktime.spans(today) else []


def notes_due(person, hall_id: int, now: datetime) -> list[registry.Item]:
    """Today's sit-in of the leader's department, arrived but without the note of what was found and solved."""
    if not person.department_id:
        return []
    today = clock.local(now).date()
    return [registry.Item(
        source="sitin.note", title="坐班记录待填写", detail="请记录本次坐班查看、解决的问题和建议（坐班不走过场）",
        link=url_for("sitin.note", visit_id=s.visit.id), deadline=worktime.close_after(s.visit.day),
        record_type="sitin_visit", record_id=s.visit.id, severity="warn")
        for s in _sitins_of(person.department_id, today) if s.state == "arrived" and not s.visit.has_note]


def _sitins_of(dept_id: int, day) -> list:
    """The department's sit-ins of a day, from its hall's bookings and register read once for every unit.

    Only a sit-in the register has as arrived without its note can be due, so without such a row of the
    department the bookings are not read at all.
    """
    hall_id = db.session.get(Department, dept_id).hall_id
    register = registry.shared(visits_between, hall_id, day, day)
    if not any(v.department_id == dept_id and v.attendance == "arrived" and not v.has_note
               for v in register.values()):
        return []
    return [s for s in registry.shared(expected_on, day, hall_id) if s.department_id == dept_id]
