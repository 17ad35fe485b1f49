"""Findings of a window visit: what each costs, its ledger events, and voiding them whole (申诉成立)."""
from decimal import Decimal

from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError

from .. import clock
from ..extensions import db
from ..org.models import Window
from ..refusals import Refusal
from ..rulebook import service as rules
from ..scores import service as scores
from ..scores.models import ScoreEvent
from .models import ChecklistItem, PatrolFindingVoid, PatrolVisit

PHOTO_OWNER = "patrol_visit"


class PatrolError(Refusal):
    """A refused patrol action; the message is shown to the person."""


def waives(corrected: bool, serious: bool) -> bool:
    """Say whether a minor finding corrected on the spot (当场纠正) is only recorded, by the rulebook."""
    return corrected and not serious and rules.get("patrol.corrected_minor") == "record"


_ITEMS = ChecklistItem.__table__
# The picked items of the round's checklist, as columns (built once): a finding needs no more of them.
_PICKED = (select(_ITEMS.c.id, _ITEMS.c.label, _ITEMS.c.section, _ITEMS.c.person_centi, _ITEMS.c.unit_centi)
           .where(_ITEMS.c.template_id == bindparam("template"), _ITEMS.c.id.in_(bindparam("ids", expanding=True))))


def _picked_items(template_id: int, picks: list) -> dict:
    if not picks:
        return {}
    rows = db.session.execute(_PICKED, {"template": template_id, "ids": sorted({i for i, _p in picks})})
    return {row.id: row for row in rows}


def build(template_id: int, window: Window, picks: list, waived: bool, items: dict | None = None) -> list[dict]:
    """Turn the picked (item, person) pairs into the new findings' columns, with the points they cost today.

    items: the checklist version's items by id, when already read (else the picked ones are read).
    """
    items = items if items is not None else _picked_items(template_id, picks)
    posts = {p.id: p for p in (window.a_post, window.b_post) if p is not None}
    found = []
    for item_id, person_id in sorted(set(picks), key=lambda p: (p[0], p[1] or 0)):
        item = items.get(item_id)
        per_person = item is not None and item.person_centi > 0  # ChecklistItem.per_person
        if item is None or (per_person and person_id not in posts):
            raise PatrolError("清单项或人员不在本窗口，请刷新页面", 400)
        person = posts[person_id] if per_person else None
        found.append({
            "item_id": item.id, "person_id": getattr(person, "id", None), "label": item.label,
            "section": item.section, "department_id": person.department_id if person else window.department_id,
            "person_centi": 0 if waived or not person else item.person_centi,
            "unit_centi": 0 if waived else item.unit_centi})
    return found


def to_ledger(user, visit, window: Window, found: list[dict]) -> set[int]:
    """Put each new finding's points in the ledger, against the unit that answers for it that day.

    visit: the visit just recorded (its id, day and corrected); each finding's columns get its events' ids.
    Returns the halls of the events recorded.
    """
    evidence = f"{PHOTO_OWNER}:{visit.id}"
    note = f"{window.number}号窗口" + ("，当场纠正" if visit.corrected else "")
    common = {"rule": "", "source": "patrol", "day": visit.day, "recorded_by": user, "evidence": evidence,
              "note": note}
    posts, halls = {p.id: p for p in (window.a_post, window.b_post) if p is not None}, set()
    for f in found:
        common["rule"] = f"巡查：{f['label']}"
        if f["person_id"] and f["person_centi"]:
            person = posts[f["person_id"]]
            f["person_event_id"] = scores.record_plain(person, points=-Decimal(f["person_centi"]) / 100,
                                                       department_id=f["department_id"], **common)
            halls.add(person.hall_id)
        if f["unit_centi"]:
            f["unit_event_id"] = scores.record_plain(subject_department=window.department,
                                                     points=-Decimal(f["unit_centi"]) / 100, **common)
            halls.add(window.department.hall_id)
    return halls


def void(user, visit: PatrolVisit, finding_ids: list[int], reason: str) -> list[PatrolFindingVoid]:
    """Void the chosen findings of a visit with one reason; each of their ledger events is reversed."""
    reason = (reason or "").strip()
    if not reason:
        raise PatrolError("请填写撤销理由（如：申诉成立）")
    chosen = [f for f in visit.findings if f.id in set(finding_ids)]
    if not chosen or len(chosen) != len(set(finding_ids)):
        raise PatrolError("请勾选要撤销的问题")
    if any(f.void is not None for f in chosen):
        raise PatrolError("所选问题已经撤销过了，请刷新页面", 409)
    rows = [PatrolFindingVoid(finding_id=f.id, reason=reason[:500], by_id=user.id, at=clock.now()) for f in chosen]
    try:
        with db.session.begin_nested():
            db.session.add_all(rows)
    except IntegrityError:
        raise PatrolError("所选问题已经撤销过了，请刷新页面", 409) from None
    ids = [i for f in chosen for i in f.event_ids]
    done = scores.voided_ids(ids)  # an event already voided on its own page stays as it is
    for event_id in ids:
        if event_id not in done:
            scores.void(db.session.get(ScoreEvent, event_id), reason, user)
    return rows
