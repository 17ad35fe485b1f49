"""Opening and closing checks (开厅/闭厅检查): the admin's checklist and each day's results."""
from datetime import date, datetime

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from .. import clock
from ..extensions import db
from ..org.models import Hall
from ..records import hall_record
from ..rulebook import service as rules
from .log import create as log_create
from .models import CHECK_KINDS, CHECK_STATES, DutyCheck, DutyCheckItem, DutyCheckResult
from .service import DutyError, bump

DEFAULT_ITEMS = {
    "opening": ["考勤机", "触摸屏", "评价器", "LED 显示屏", "排队叫号机", "窗口电脑", "办事材料", "环境卫生"],
    "closing": ["照明灯关闭", "电源关闭", "电脑关机", "门窗关闭", "文件资料锁好"],
}


def defaults_for(hall: Hall) -> list[DutyCheckItem]:
    """Return the default opening and closing checklists of a hall, unsaved."""
    return [DutyCheckItem(hall=hall, kind=kind, label=label, sort_order=i, active=True)
            for kind, labels in DEFAULT_ITEMS.items() for i, label in enumerate(labels)]


def _seed_new_halls(session, _ctx, _instances) -> None:
    """Give every hall being made its default checklists, in the same flush (a read never writes them)."""
    for hall in [o for o in session.new if isinstance(o, Hall)]:
        session.add_all(defaults_for(hall))


def listen() -> None:
    """Seed the checklists of each new hall (called once by the factory through duty.init_app)."""
    if not event.contains(Session, "before_flush", _seed_new_halls):
        event.listen(Session, "before_flush", _seed_new_halls)


def items(hall_id: int, kind: str) -> list[DutyCheckItem]:
    """Return the active items of a checklist, in order."""
    return [r for r in all_items(hall_id, kind) if r.active]


def all_items(hall_id: int, kind: str) -> list[DutyCheckItem]:
    """Return every item of a checklist, retired ones too, for the admin."""
    return db.session.execute(select(DutyCheckItem).where(
        DutyCheckItem.hall_id == hall_id, DutyCheckItem.kind == kind)
        .order_by(DutyCheckItem.sort_order, DutyCheckItem.id)).scalars().all()


def add_item(hall_id: int, kind: str, label: str, office_id=None) -> DutyCheckItem:
    """Add a line to a checklist."""
    if kind not in CHECK_KINDS or not (label or "").strip():
        raise DutyError("请填写检查项目名称")
    existing = all_items(hall_id, kind)
    row = DutyCheckItem(hall_id=hall_id, kind=kind, label=label.strip()[:60], office_id=office_id or None,
                        sort_order=len(existing))
    db.session.add(row)
    return row


def set_active(hall_id: int, item_id: int, active: bool) -> DutyCheckItem:
    """Retire or restore a checklist line (past results keep their label)."""
    row = hall_record(DutyCheckItem, item_id, hall_id=hall_id)
    row.active = active
    return row


def opening_time(day: date) -> datetime:
    """Return when the hall opens on a day."""
    return datetime.combine(day, rules.get("hours.morning_start"), tzinfo=clock.hall_tz())


def _checked(lines: list[DutyCheckItem], answers: dict[int, tuple]) -> None:
    """Refuse answers for items no longer on the list, unanswered items and faults without a note."""
    if set(answers) - {line.id for line in lines}:
        raise DutyError("检查项目已更新，请刷新页面后重新填写", 409)
    for line in lines:
        ok, note = answers.get(line.id, (None, ""))
        if ok is None:
            raise DutyError(f"请选择“{line.label}”正常或故障")
        if not ok and not note.strip():
            raise DutyError(f"请填写“{line.label}”的故障情况")


def record(user, kind: str, answers: dict[int, tuple], all_ok: bool = False) -> DutyCheck:
    """Record today's check from answers keyed by item id; each fault opens an equipment-fault log item.

    With all_ok (the one deliberate 全部正常 tap) every item not marked as a fault counts as normal.
    """
    if kind not in CHECK_KINDS:
        raise DutyError("没有这种检查", 404)
    today, now = clock.today(), clock.now()
    if done(user.hall_id, today).get(kind):
        raise DutyError(f"今天的{CHECK_KINDS[kind]}已经完成", 409)
    lines = items(user.hall_id, kind)
    if all_ok:
        faults = {k: v for k, v in answers.items() if v[0] is False}
        answers = {line.id: (True, "") for line in lines} | faults
    _checked(lines, answers)
    check = DutyCheck(hall_id=user.hall_id, day=today, kind=kind, done_by_id=user.id, done_at=now,
                      late=kind == "opening" and now > opening_time(today))
    db.session.add(check)
    for line in lines:
        ok, note = answers[line.id]
        result = DutyCheckResult(item_id=line.id, label=line.label, ok=ok, note=note.strip()[:200])
        if not ok:
            fault = log_create(user, "fault", f"{line.label}：{note.strip()}", office_id=line.office_id,
                               note=f"{CHECK_KINDS[kind]}发现")
            result.log_item_id = fault.id
        check.results.append(result)
    bump(user.hall_id)
    return check


def done(hall_id: int, day: date) -> dict[str, DutyCheck]:
    """Return the checks done on a day, by kind."""
    rows = db.session.execute(select(DutyCheck).where(DutyCheck.hall_id == hall_id, DutyCheck.day == day)).scalars()
    return {r.kind: r for r in rows}


def status(hall_id: int, day: date, checks: dict | None = None) -> list[dict]:
    """Return each check of the day as done, due or late (opening not done by opening time)."""
    checks = done(hall_id, day) if checks is None else checks
    out = []
    for kind, label in CHECK_KINDS.items():
        c = checks.get(kind)
        if c:
            state = "late" if c.late else "done"
        elif kind == "opening" and day == clock.today() and clock.now() > opening_time(day):
            state = "overdue"
        else:
            state = "due"
        out.append({"kind": kind, "label": label, "check": c, "state": state, "state_label": CHECK_STATES[state]})
    return out
