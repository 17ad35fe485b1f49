"""Demo duty desk: a rotation with zhiban on duty today, zongzhiban as general duty leader, log and slips."""
from datetime import timedelta

from sqlalchemy import select

from .. import clock
from ..auth.models import User
from ..extensions import db
from ..org.models import Department, Window
from ..rulebook import calendar
from . import checks, leave, log, rotation
from .models import DutyDay, DutyLogStep, DutyOverride

# Which center office answers for a fault found in the checks (DOMAIN.md zones).
CHECK_OFFICES = {"考勤机": "信息科", "触摸屏": "信息科", "评价器": "信息科", "LED 显示屏": "信息科",
                 "排队叫号机": "信息科", "窗口电脑": "信息科", "办事材料": "综合科", "环境卫生": "检查科"}

ITEMS = [("consultation", "群众咨询企业开办全程网办流程", 3, "fed_back"),
         ("complaint", "群众反映不动产登记窗口等候时间过长", 28, "reported"),
         ("fault", "41 号窗口评价器无法评价", 41, "acted"),
         ("visit", "市政务服务管理局来厅调研", None, "fed_back"),
         ("incident", "午间一名老人在等候区身体不适", None, "registered")]


def seed_demo(hall) -> None:
    """Fill the demo hall's roster, duty log and leave slips."""
    users = {u.login: u for u in db.session.execute(select(User).where(User.hall_id == hall.id)).scalars()}
    me, general = users["zhiban"], users["zongzhiban"]
    others = [u for u in rotation.eligible(hall.id) if u.id not in (me.id, general.id)]
    rotation.set_order(hall.id, [me.id] + [u.id for u in others])
    today = clock.today()
    past = calendar.working_days(today - timedelta(days=14), today - timedelta(days=1))
    for i, day in enumerate(past):
        db.session.add(DutyDay(hall_id=hall.id, day=day, leader_id=others[i % len(others)].id,
                               general_leader_id=general.id, term_no=i))
    db.session.add(DutyDay(hall_id=hall.id, day=today, leader_id=me.id, general_leader_id=general.id,
                           term_no=len(past)))
    db.session.flush()
    rotation.generate(hall.id, today + timedelta(days=1), today + timedelta(days=60), general.id)
    windows = {w.number: w for w in db.session.execute(select(Window).where(Window.hall_id == hall.id)).scalars()}
    for kind, text, number, state in ITEMS:
        item = log.create(me, kind, text, windows[number].id if number else None,
                          major=kind == "incident")
        for step in ("reported", "acted", "fed_back"):
            if state == "registered" or item.state == state:
                break
            item.steps.append(DutyLogStep(step=step, by_id=me.id, at=clock.now(), note="已按规定处理"))
            item.state = step
    _checklists(hall)
    next_day = calendar.next_working_day(today)
    db.session.add(DutyOverride(hall_id=hall.id, requested_by_id=me.id, substitute_id=others[0].id,
                                first_day=next_day, last_day=next_day, reason="参加业务培训"))
    clerks = [w.a_post for w in windows.values() if w.a_post][:2]
    first = leave.grant(me, clerks[0].id, 30, "到银行办理业务")
    first.returned_at = first.out_at + timedelta(minutes=25)
    leave.grant(me, clerks[1].id, 60, "送孩子就医")
    db.session.commit()


def _checklists(hall) -> None:
    offices = {d.name: d.id for d in db.session.execute(select(Department).where(
        Department.hall_id == hall.id, Department.kind == "center_office")).scalars()}
    for kind in ("opening", "closing"):
        for item in checks.items(hall.id, kind):
            item.office_id = offices.get(CHECK_OFFICES.get(item.label, "办公室"))
    db.session.flush()
