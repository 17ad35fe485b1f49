"""Demo sit-ins: four past weeks (mostly compliant, some late, one unit never files) and this week."""
import random
from datetime import datetime, timedelta

from sqlalchemy import select

from .. import clock
from ..auth.models import User
from ..extensions import db
from ..org.models import Department
from ..roles import Role
from ..rulebook import calendar
from ..rulebook import service as rules
from .booking import deadline_for, leader_of, monday_of
from .models import SitInBooking, SitInVisit

NEVER_FILES = "退役军人事务局"
FILES_LATE = {"供电公司", "教育局"}
NO_SHOW = {"农业农村局"}
NO_NOTE = {"生态环境局"}
NOTES = [("查看了窗口排队和叫号情况，高峰期等候约 20 分钟", "协调增开一个综合窗口，分流企业开办业务",
          "建议增加午间延时服务"),
         ("检查了本单位窗口人员着装和台面", "纠正两名工作人员未佩戴工作证的问题", "建议大厅统一制作桌牌"),
         ("听取了窗口关于系统卡顿的反映", "联系信息科重启前置机，业务恢复正常", "建议升级专线带宽"),
         ("接待了两位办事群众的咨询", "现场解答了跨区通办的材料要求", "建议把材料清单印成明白纸")]


def seed_demo(hall) -> None:
    """Fill the demo hall's sit-in calendar and register."""
    rng = random.Random(2026)
    units = db.session.execute(select(Department).where(
        Department.hall_id == hall.id, Department.kind == "window_unit")
        .order_by(Department.sort_order)).scalars().all()
    leaders = {d.id: _leader(d) for d in units}
    checker = db.session.execute(select(User).where(User.login == "zhiban")).scalar()
    this_monday, desks = monday_of(clock.today()), {}
    for weeks_back in (4, 3, 2, 1, 0):
        monday = this_monday - timedelta(weeks=weeks_back)
        days = calendar.working_days(monday, monday + timedelta(days=6))
        for i, dept in enumerate(units):
            if dept.name == NEVER_FILES or not days:
                continue
            day = days[(i + weeks_back) % len(days)]
            half = rng.choice(("am", "pm", "day"))
            _book(dept, leaders[dept.id], day, half, monday, desks, rng)
            if day < clock.today():
                _register(dept, day, checker, leaders[dept.id], rng)
    db.session.commit()


def _leader(dept) -> User | None:
    found = leader_of(dept.id)
    if found is not None:
        return found
    leader = db.session.execute(select(User).where(User.department_id == dept.id)
                                .order_by(User.window_id.is_not(None), User.id)).scalars().first()
    if leader is not None and not leader.has_role(Role.WINDOW_LEADER):
        leader.set_roles(leader.roles | {Role.WINDOW_LEADER})
    return leader


def _book(dept, leader, day, half, monday, desks, rng) -> None:
    late = dept.name in FILES_LATE
    filed = deadline_for(monday) + timedelta(hours=20 if late else -rng.randrange(2, 96))
    for h in (("am", "pm") if half == "day" else (half,)):
        desk = desks[(day, h)] = desks.get((day, h), 0) + 1
        if desk > rules.get("sitin.desks_per_half_day"):
            continue  # the half day is full: the demo simply skips it
        leader_id = leader.id if leader else None
        db.session.add(SitInBooking(hall_id=dept.hall_id, department_id=dept.id, leader_id=leader_id,
                                    booked_by_id=leader_id, day=day, half=h, desk_no=desk,
                                    full_day=half == "day", filed_at=filed, filed_late=late))


def _register(dept, day, checker, leader, rng) -> None:
    came = dept.name not in NO_SHOW
    opening = datetime.combine(day, rules.get("hours.morning_start"), tzinfo=clock.hall_tz())
    at = opening + timedelta(minutes=rng.randrange(0, 25))
    visit = SitInVisit(hall_id=dept.hall_id, department_id=dept.id, day=day,
                       attendance="arrived" if came else "absent", arrived_at=at if came else None,
                       checked_by_id=checker.id, checked_at=at)
    if came and dept.name not in NO_NOTE:
        visit.looked_at, visit.solved, visit.proposed = rng.choice(NOTES)
        visit.noted_at, visit.noted_by_id = at + timedelta(hours=6), leader.id
    db.session.add(visit)
