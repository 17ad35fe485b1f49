"""The duty log (值班日志): items, their four steps, amendments and the search."""
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, insert, or_, select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from .. import clock
from ..audit import service as audit
from ..extensions import db
from ..org import service as org
from ..org.models import Department, Window
from ..records import hall_record
from .models import LOG_KINDS, OPEN_STATES, STEP_ORDER, STEPS, DutyLogAmendment, DutyLogItem, DutyLogStep, LogLabels
from .service import DutyError, bump

STALE = "该事项刚被他人更新，您的修改没有保存。请查看最新内容后再操作。"


def _checked(user, kind: str, text: str, window_id, people: str, major: bool, office_id, listed=False) -> tuple:
    """Refuse a bad registration; return the new item's columns, its window and its office.

    listed: an active window of the hall may be the worker's copy of the hall's window list (its id, number
    and name; org.window_choices) rather than a Window read for it; any other is read and checked as ever.
    """
    if kind not in LOG_KINDS:
        raise DutyError("请选择事项类别")
    if not (text or "").strip():
        raise DutyError("请填写事项内容")
    window = _listed(window_id, user.hall_id) if listed else None
    window = window or _in_hall(Window, window_id, user.hall_id, "窗口")
    office = _in_hall(Department, office_id, user.hall_id, "责任科室")
    values = {"hall_id": user.hall_id, "day": clock.today(), "kind": kind, "text": text.strip(),
              "window_id": window.id if window else None, "office_id": office.id if office else None,
              "people": (people or "").strip(), "major": bool(major), "owner_id": user.id}
    return values, window, office


def create(user, kind: str, text: str, window_id=None, people: str = "", major: bool = False,
           office_id=None, note: str = "") -> DutyLogItem:
    """Register a log item (登记) as the person at the desk."""
    values, window, office = _checked(user, kind, text, window_id, people, major, office_id)
    item = DutyLogItem(**values)
    item.window, item.office = window, office  # the answer shows them: no reload of what was just read
    item.steps.append(DutyLogStep(step="registered", by_id=user.id, at=clock.now(), note=(note or "").strip()))
    db.session.add(item)
    bump(user.hall_id)
    db.session.flush()
    return item


@dataclass(frozen=True, slots=True)
class Registered(LogLabels):
    """A log item just registered at the desk's form, as its answer shows it (the new row of the list)."""

    id: int
    day: date
    kind: str
    major: bool
    text: str
    window: object | None  # a Window, or its row of the hall's window list (id, number, name)
    owner: object  # the person who registered it
    state: str = "registered"


_ITEMS, _STEPS = DutyLogItem.__table__, DutyLogStep.__table__
_NEW_ITEM, _NEW_STEP = insert(_ITEMS), insert(_STEPS)  # built once


def register(user, kind: str, text: str, window_id=None, people: str = "", major: bool = False) -> Registered:
    """Register a log item (登记) as create does, in two plain inserts (audited as the ORM's would be)."""
    values, window, _office = _checked(user, kind, text, window_id, people, major, None, listed=True)
    item_id = db.session.execute(_NEW_ITEM, values).inserted_primary_key[0]
    audit.record_created(DutyLogItem, item_id, values)
    step = {"step": "registered", "by_id": user.id, "at": clock.now(), "note": "", "item_id": item_id}
    audit.record_created(DutyLogStep, db.session.execute(_NEW_STEP, step).inserted_primary_key[0], step)
    bump(user.hall_id)
    return Registered(item_id, values["day"], kind, values["major"], values["text"], window, user)


def _listed(window_id, hall_id):
    """Return the hall's active window of this id from the worker's copy of the hall's window list, or None."""
    if window_id in (None, "", 0) or not str(window_id).isdigit():
        return None
    return next((w for w in org.window_choices(hall_id) if w.id == int(window_id)), None)


def _in_hall(model, object_id, hall_id, label):
    if object_id in (None, "", 0):
        return None
    row = db.session.get(model, int(object_id)) if str(object_id).isdigit() else None  # "abc": not one of ours
    if row is None or row.hall_id != hall_id:
        raise DutyError(f"{label}不存在")
    return row


def item_for(user, item_id: int) -> DutyLogItem:
    """Return a log item of the person's hall, or answer an audited 404."""
    return hall_record(DutyLogItem, item_id, hall_id=user.hall_id)


def _check_version(item: DutyLogItem, version) -> None:
    if str(item.version) != str(version):
        raise DutyError(STALE, 409)


def advance(user, item_id: int, step: str, note: str, version) -> DutyLogItem:
    """Record the next step (报告、落实、反馈); a step cannot be skipped or repeated."""
    item = item_for(user, item_id)
    _check_version(item, version)
    if step not in STEPS:
        raise DutyError("没有这个步骤")
    if item.closed:
        raise DutyError("该事项已反馈办结")
    if step != item.next_step:
        raise DutyError(f"请先完成“{STEPS[item.next_step]}”，步骤不能跳过")
    if not (note or "").strip():
        raise DutyError(f"请填写{STEPS[step]}情况")
    item.steps.append(DutyLogStep(step=step, by_id=user.id, at=clock.now(), note=note.strip()))
    item.state = step
    bump(item.hall_id)
    _flush()
    return item


def amend(user, item_id: int, new_text: str, reason: str, version) -> DutyLogItem:
    """Correct an item's text as an amendment; the original text stays on the record."""
    item = item_for(user, item_id)
    _check_version(item, version)
    new_text = (new_text or "").strip()
    if not new_text or new_text == item.text:
        raise DutyError("请填写更正后的内容")
    if not (reason or "").strip():
        raise DutyError("请填写更正原因")
    item.amendments.append(DutyLogAmendment(old_text=item.text, new_text=new_text, reason=reason.strip(),
                                            by_id=user.id, at=clock.now()))
    item.text = new_text
    bump(item.hall_id)
    _flush()
    return item


def _flush() -> None:
    """Flush now so a concurrent save shows up as a version conflict, not a silent overwrite."""
    try:
        db.session.flush()
    except StaleDataError:
        db.session.rollback()
        raise DutyError(STALE, 409) from None


def original_text(item: DutyLogItem) -> str:
    """Return the text as first registered."""
    return item.amendments[0].old_text if item.amendments else item.text


def search(hall_id: int, day: date | None = None, kind: str = "", state: str = "", window_id=None,
           q: str = "", open_only: bool = False, limit: int = 200) -> list[DutyLogItem]:
    """Return log items matching the filters, newest first."""
    query = select(DutyLogItem).where(DutyLogItem.hall_id == hall_id).options(
        selectinload(DutyLogItem.window), selectinload(DutyLogItem.owner))
    if day:
        query = query.where(DutyLogItem.day == day)
    if kind in LOG_KINDS:
        query = query.where(DutyLogItem.kind == kind)
    if state == "open" or open_only:
        query = query.where(DutyLogItem.state.in_(OPEN_STATES))
    elif state in STEPS:
        query = query.where(DutyLogItem.state == state)
    if window_id:
        query = query.where(DutyLogItem.window_id == window_id)
    if q:
        like = f"%{q.strip()}%"
        query = query.where(or_(DutyLogItem.text.like(like), DutyLogItem.people.like(like)))
    return db.session.execute(query.order_by(DutyLogItem.id.desc()).limit(limit)).scalars().all()


def open_counts(hall_id: int) -> dict[str, int]:
    """Return how many items are open in each state (registered, reported, acted on)."""
    rows = db.session.execute(select(DutyLogItem.state, func.count()).where(
        DutyLogItem.hall_id == hall_id, DutyLogItem.state.in_(OPEN_STATES)).group_by(DutyLogItem.state)).all()
    found = dict(rows)
    return {s: found.get(s, 0) for s in STEP_ORDER[:-1]}


def major_open(hall_id: int) -> list[DutyLogItem]:
    """Return major items not yet fed back, for the general duty leader's and admin's home."""
    return db.session.execute(select(DutyLogItem).where(
        DutyLogItem.hall_id == hall_id, DutyLogItem.major.is_(True), DutyLogItem.state.in_(OPEN_STATES))
        .order_by(DutyLogItem.id.desc())).scalars().all()
