"""Demo assessment: the month before last closed, last month published in its objection period, this month's draft."""
import random
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from .. import clock
from ..auth.models import User
from ..extensions import db
from ..org.models import Department
from ..rulebook import calendar
from ..rulebook import service as rules
from ..scores import service as scores
from ..scores.models import ScoreEvent
from . import months, objections
from .models import AssessmentLine, AssessmentSheet
from .sheet import previous

UNIT_EVENTS = [(2, "感谢信（表扬）"), (-5, "台面不规范、卫生差"), (-5, "窗口空岗"), (3, "媒体表扬"),
               (5, "承诺件转即办件")]
STAFF_EVENTS = [(-2, "工作时间聊天"), (3, "服务标兵（示范服务）"), (-3, "服务态度被投诉（查实）"), (2, "感谢信")]


def _login(login: str) -> User | None:
    return db.session.execute(select(User).where(User.login == login)).scalar_one_or_none()


def _hand_entries(hall, year: int, month: int, by, rng: random.Random) -> list[ScoreEvent]:
    """Record a few hand entries (手工登记) of the month for units and staff, as the inspection office does."""
    units = db.session.execute(select(Department).where(Department.hall_id == hall.id,
                               Department.kind == "window_unit").order_by(Department.id)).scalars().all()
    staff = db.session.execute(select(User).where(User.home_hall_id == hall.id, User.window_id.is_not(None))
                               .order_by(User.id)).scalars().all()
    days = calendar.working_days(date(year, month, 1), scores.month_range(year, month)[1] - timedelta(days=1))
    made = []
    for unit in rng.sample(units, min(6, len(units))):
        points, rule = rng.choice(UNIT_EVENTS)
        made.append(scores.record(subject_department=unit, points=points, rule=rule, source="manual",
                                  day=rng.choice(days), recorded_by=by))
    for person in rng.sample(staff, min(8, len(staff))):
        points, rule = rng.choice(STAFF_EVENTS)
        made.append(scores.record(person, points=points, rule=rule, source="manual", day=rng.choice(days),
                                  recorded_by=by))
    return made


def _close_in_the_past(hall, year: int, month: int, admin) -> None:
    """Close a published month as if it had been published early the next month and its period ran out."""
    record = months.record_of(hall.id, year, month)
    after = scores.month_range(year, month)[1]
    first = after if calendar.is_working_day(after) else calendar.next_working_day(after)
    record.published_at = datetime.combine(first, time(10), tzinfo=clock.hall_tz())
    record.objection_until = calendar.add_working_days(first, rules.get("sheet.objection_days", hall.id))
    months.close(hall.id, year, month, admin)
    db.session.commit()


def seed_demo(hall) -> None:
    """Close the month before last, publish last month (one objection waiting) and leave this month a draft."""
    admin, supervisor, leader = _login("admin"), _login("ducha"), _login("lingdao")
    if admin is None or supervisor is None:
        return
    rng, today = random.Random(2026), clock.today()
    last = previous(today.year, today.month)
    before = previous(*last)
    early = _hand_entries(hall, *before, supervisor, rng)
    _hand_entries(hall, *last, supervisor, rng)
    if leader is not None and leader.department is not None:
        scores.record(subject_department=leader.department, points=-5, rule="巡查：设备故障未报修", source="manual",
                      day=date(*last, 10), recorded_by=supervisor)
    db.session.commit()
    for year, month in (before, last):
        months.review(hall.id, year, month, supervisor)
        db.session.commit()
        months.publish(hall, year, month, admin)
        if (year, month) == before:
            _close_in_the_past(hall, year, month, admin)
            # An appeal upheld after the month closed: its reversal is an adjustment of last month.
            scores.void(early[0], "申诉成立（考核结束后）", supervisor)
            db.session.commit()
    _object(hall, last, leader)


def _object(hall, month: tuple[int, int], leader) -> None:
    """Let the demo window leader object to one deduction of their unit's published sheet."""
    if leader is None or leader.department_id is None:
        return
    record = months.record_of(hall.id, *month)
    line = db.session.execute(select(AssessmentLine).join(AssessmentSheet).where(
        AssessmentSheet.month_id == record.id, AssessmentSheet.department_id == leader.department_id,
        AssessmentLine.event_id.is_not(None), AssessmentLine.centipoints < 0)
        .order_by(AssessmentLine.id)).scalars().first()
    if line is not None:
        objections.raise_(record, line.id, leader, "当日为系统故障，已按规定报修，请予核实")
        db.session.commit()
