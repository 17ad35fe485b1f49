"""The score ledger's rules: record and void (one by one or in batch), and who may see what.

Month totals live in totals.py; they are named here too, so other capabilities use one interface.
"""
from dataclasses import dataclass
from datetime import date

from flask import Flask, current_app
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from .. import clock
from ..audit import service as audit
from ..extensions import db
from ..inbox import pulse
from ..refusals import Refusal
from ..roles import LEDGER_ALL, Role
from .models import SOURCES, ScoreEvent
from .models import to_centi as to_centi
from .totals import PersonTotal as PersonTotal
from .totals import UnitTotal as UnitTotal
from .totals import events as events
from .totals import linked_unit_centi as linked_unit_centi
from .totals import month_by_hall as month_by_hall
from .totals import month_range as month_range
from .totals import person_total as person_total
from .totals import person_totals as person_totals
from .totals import source_sums as source_sums
from .totals import unit_total as unit_total
from .totals import unit_totals as unit_totals

APPEAL_UPHELD = "申诉成立"


class ScoreError(Refusal):
    """A refused ledger action; the message is shown to the person."""


def link_evidence(app: Flask, kind: str, endpoint: str, argument: str, roles: tuple, label: str = "查看记录") -> None:
    """Let an event's evidence of this kind open its record (endpoint) for people holding these roles."""
    app.extensions.setdefault("score_evidence", {})[kind] = (endpoint, argument, roles)
    app.extensions.setdefault("score_evidence_labels", {})[kind] = label


def evidence_label(kind: str) -> str:
    """Return the words of the button that opens an evidence kind's record."""
    return current_app.extensions.get("score_evidence_labels", {}).get(kind, "查看记录")


def evidence_link(kind: str) -> tuple[str, str, tuple] | None:
    """Return (endpoint, url argument, roles) for an evidence kind, if a capability linked one."""
    return current_app.extensions.get("score_evidence", {}).get(kind)


def record(subject_user=None, subject_department=None, *, points, rule: str, source: str, day: date,
           recorded_by=None, evidence: str = "", note: str = "", key: str | None = None,
           department_id: int | None = None) -> ScoreEvent | None:
    """Add a point event for a person or a window unit; with a key, at most once while it stands (None if so).

    A person's event names the department they belonged to on the day (department_id, when the caller
    knows it; their department now otherwise): that unit bears the person-to-unit cost, wherever they go.
    A keyed charge its capability took back (void(..., release=True)) may be charged again: the next
    charge number under the key, which the database holds unique.
    """
    row = _event(subject_user, subject_department, points=points, rule=rule, source=source, day=day,
                 recorded_by=recorded_by, evidence=evidence, note=note, key=key, department_id=department_id)
    if key is None:
        db.session.add(row)
        db.session.flush()
        return row
    row.charge_no = next_charges([key])[key]
    if row.charge_no is None:
        return None
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:  # another run charged it between the check and the insert
        return None
    return row


_NEW_EVENT = insert(ScoreEvent.__table__)  # built once


def record_plain(subject_user=None, subject_department=None, **fields) -> int:
    """Add an unkeyed event as record() does, in one plain insert on the session's connection; return its id.

    Audited exactly as a flush audits record()'s event. No flush sees the row: the caller moves the inbox
    versions on (inbox.pulse.note_written), as a hot write that inserts its rows the same way does.
    """
    values = _values(subject_user, subject_department, **fields)
    event_id = db.session.connection().execute(_NEW_EVENT, values).inserted_primary_key[0]
    audit.record_created(ScoreEvent, event_id, values)
    return event_id


def _event(subject_user, subject_department, **fields) -> ScoreEvent:
    """Build an unsaved event for a person or a unit."""
    return ScoreEvent(**_values(subject_user, subject_department, **fields))


def _values(subject_user, subject_department, *, points, rule, source, day, recorded_by=None, evidence="",
            note="", key=None, department_id=None) -> dict:
    """Return the column values of a new event for a person or a unit."""
    if subject_user is None and subject_department is None:
        raise ValueError("a score event needs a person or a unit")
    if source not in SOURCES:
        raise ValueError(f"unknown score source {source!r}")
    if subject_department is not None:
        dept_id = subject_department.id
    else:
        dept_id = department_id if department_id is not None else subject_user.department_id
    return {"hall_id": (subject_user or subject_department).hall_id,
            "subject_user_id": getattr(subject_user, "id", None), "department_id": dept_id,
            "centipoints": to_centi(points), "rule": rule[:120], "source": source, "day": day,
            "recorded_by_id": getattr(recorded_by, "id", None), "recorded_at": clock.now(), "evidence": evidence,
            "note": note, "dedupe_key": key, "charge_no": 1, "releases_key": False, "reverses_id": None}


def next_charges(keys) -> dict[str, int | None]:
    """Return the charge number each key may be charged under now, None while its charge stands, in one query.

    A key never charged takes 1; one whose latest charge was released by a correction takes the next;
    one whose latest charge stands, or was voided on appeal (申诉成立), takes none.
    """
    keys = list(dict.fromkeys(keys))
    found = {k: 1 for k in keys}
    rev = aliased(ScoreEvent)
    for i in range(0, len(keys), 500):
        rows = db.session.execute(
            select(ScoreEvent.dedupe_key, ScoreEvent.charge_no, rev.id, rev.releases_key)
            .outerjoin(rev, rev.reverses_id == ScoreEvent.id)
            .where(ScoreEvent.dedupe_key.in_(keys[i:i + 500])).order_by(ScoreEvent.charge_no))
        for key, charge_no, reversal_id, released in rows:
            found[key] = charge_no + 1 if reversal_id is not None and released else None
    return found


def void(event: ScoreEvent, reason: str, by, release: bool = False) -> ScoreEvent:
    """Void an event (申诉成立) by adding its reversing event with the reason.

    release: the charging capability found the thing no longer due (a corrected record), so the same
    key may be charged again if it falls due again; an appeal leaves the key spent.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ScoreError("请填写撤销理由（如：申诉成立）")
    if event.reverses_id is not None:
        raise ScoreError("这是一条撤销记录，不能再撤销")
    if voided_ids([event.id]):
        raise ScoreError("这条记录已经撤销过了", 409)
    row = _reversal(event, reason, by, release)
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:
        raise ScoreError("这条记录已经撤销过了", 409) from None
    return row


def _reversal(event: ScoreEvent, reason: str, by, release: bool) -> ScoreEvent:
    """Build the unsaved event that reverses this one."""
    return ScoreEvent(hall_id=event.hall_id, subject_user_id=event.subject_user_id,
                      department_id=event.department_id, centipoints=-event.centipoints,
                      rule=f"撤销：{event.rule}"[:120], source=event.source, day=event.day,
                      recorded_by_id=getattr(by, "id", None), releases_key=release,
                      recorded_at=clock.now(), evidence=event.evidence, note=reason, reverses_id=event.id)


# --- in batch: an import's thousands of events in one query and one multi-row insert -------------

@dataclass
class Charge:
    """One keyed event for record_all: the arguments record() takes."""

    subject_user: object | None
    subject_department: object | None
    points: object
    rule: str
    source: str
    day: date
    key: str
    evidence: str = ""
    note: str = ""
    recorded_by: object | None = None
    department_id: int | None = None

    def values(self) -> dict:
        """Return the new event's column values."""
        return _values(self.subject_user, self.subject_department, points=self.points, rule=self.rule,
                      source=self.source, day=self.day, recorded_by=self.recorded_by, evidence=self.evidence,
                      note=self.note, key=self.key, department_id=self.department_id)

    def record(self) -> ScoreEvent | None:
        """Record this charge alone, as record() does."""
        return record(self.subject_user, self.subject_department, points=self.points, rule=self.rule,
                      source=self.source, day=self.day, recorded_by=self.recorded_by, evidence=self.evidence,
                      note=self.note, key=self.key, department_id=self.department_id)


def record_all(charges) -> int:
    """Record many keyed charges, each at most once while it stands; return how many were added.

    One query reads their keys and one multi-row insert adds the events (in chunks the database takes);
    their audit rows are chained by the session listener as any others. If another run charged one of
    them meanwhile, the batch is recorded one by one instead.
    """
    charges = list(charges)
    free, rows = next_charges(c.key for c in charges), []
    for charge in charges:
        if free.get(charge.key) is None:
            continue
        row = charge.values()
        row["charge_no"], free[charge.key] = free[charge.key], None  # a key twice in one batch: charged once
        rows.append(row)
    if not rows:
        return 0
    try:
        with db.session.begin_nested():
            _insert(rows)
    except IntegrityError:
        return sum(c.record() is not None for c in charges)
    # No flush sees the rows: their halls' inbox versions move on here, as a flush of them would move them.
    pulse.note_written(db.session(), {ScoreEvent.__tablename__: {row["hall_id"] for row in rows}})
    return len(rows)


def _insert(rows: list[dict]) -> None:
    """Insert new events in multi-row INSERTs and audit each (their key and charge number name the row)."""
    table = ScoreEvent.__table__
    returned = db.session.connection().execute(
        insert(table).returning(table.c.id, table.c.dedupe_key, table.c.charge_no), rows)
    ids = {(k, n): id_ for id_, k, n in returned}
    for row in rows:
        row["id"] = ids[(row["dedupe_key"], row["charge_no"])]
    audit.record_inserted(table.name, rows)


def void_all(events, reason: str, by, release: bool = False) -> list[ScoreEvent]:
    """Void many events at once (see void()); an event already voided, or itself a reversal, is left alone."""
    reason = (reason or "").strip()
    if not reason:
        raise ScoreError("请填写撤销理由（如：申诉成立）")
    events = [e for e in events if e.reverses_id is None]
    done = voided_ids(e.id for e in events)
    rows = [_reversal(e, reason, by, release) for e in events if e.id not in done]
    if not rows:
        return []
    try:
        with db.session.begin_nested():
            db.session.add_all(rows)
    except IntegrityError:  # voided meanwhile by another run: void what is left one by one
        return [r for r in (_void_if_standing(e, reason, by, release) for e in events) if r is not None]
    return rows


def _void_if_standing(event, reason, by, release) -> ScoreEvent | None:
    try:
        return void(event, reason, by, release)
    except ScoreError:
        return None


def live_keyed(prefix: str) -> list[ScoreEvent]:
    """Return the events recorded with a key starting with the prefix that are not reversed."""
    rows = db.session.execute(select(ScoreEvent).where(ScoreEvent.dedupe_key.like(f"{prefix}%"))).scalars().all()
    gone = voided_ids(r.id for r in rows)
    return [r for r in rows if r.id not in gone]


def keyed(keys) -> dict[str, ScoreEvent]:
    """Return the latest charge recorded under each of these exactly-once keys, by key."""
    keys = list(keys)
    if not keys:
        return {}
    return {e.dedupe_key: e for e in db.session.execute(select(ScoreEvent).where(
        ScoreEvent.dedupe_key.in_(keys)).order_by(ScoreEvent.charge_no)).scalars()}


def voided_ids(ids) -> set[int]:
    """Return which of these events have been reversed."""
    ids = list(ids)
    if not ids:
        return set()
    return set(db.session.execute(select(ScoreEvent.reverses_id).where(ScoreEvent.reverses_id.in_(ids))).scalars())


# --- who may see what ----------------------------------------------------------------------------

def sees_all(viewer) -> bool:
    """Say whether this person sees every unit's and person's scores."""
    return viewer.has_role(*LEDGER_ALL)


def may_see_unit(viewer, department_id: int | None) -> bool:
    """A window leader sees their own department; supervisors and the center see all."""
    if sees_all(viewer):
        return True
    return viewer.has_role(Role.WINDOW_LEADER) and department_id is not None and department_id == viewer.department_id


def may_see_event(viewer, event: ScoreEvent) -> bool:
    """Say whether this person may open this event."""
    if event.hall_id != viewer.hall_id:
        return False
    return event.subject_user_id == viewer.id or may_see_unit(viewer, event.department_id)
