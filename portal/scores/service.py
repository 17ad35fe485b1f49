"""The score ledger's rules: record, void, month totals, and who may see what."""
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from flask import Flask, current_app
from sqlalchemy import and_, case, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased, joinedload, lazyload

from .. import clock
from ..auth.models import User
from ..extensions import db
from ..org.models import Department
from ..refusals import Refusal
from ..roles import LEDGER_ALL, Role
from ..rulebook import service as rules
from .models import SOURCES, ScoreEvent

APPEAL_UPHELD = "申诉成立"


class ScoreError(Refusal):
    """A refused ledger action; the message is shown to the person."""


def link_evidence(app: Flask, kind: str, endpoint: str, argument: str, roles: tuple) -> None:
    """Let an event's evidence of this kind open its record (endpoint) for people holding these roles."""
    app.extensions.setdefault("score_evidence", {})[kind] = (endpoint, argument, roles)


def evidence_link(kind: str) -> tuple[str, str, tuple] | None:
    """Return (endpoint, url argument, roles) for an evidence kind, if a capability linked one."""
    return current_app.extensions.get("score_evidence", {}).get(kind)


def to_centi(points) -> int:
    """Turn points (Decimal, str, int) into hundredths of a point."""
    return int((Decimal(str(points)) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


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


def _event(subject_user, subject_department, *, points, rule, source, day, recorded_by=None, evidence="",
           note="", key=None, department_id=None) -> ScoreEvent:
    """Build an unsaved event for a person or a unit."""
    if subject_user is None and subject_department is None:
        raise ValueError("a score event needs a person or a unit")
    if source not in SOURCES:
        raise ValueError(f"unknown score source {source!r}")
    if subject_department is not None:
        dept_id = subject_department.id
    else:
        dept_id = department_id if department_id is not None else subject_user.department_id
    return ScoreEvent(hall_id=(subject_user or subject_department).hall_id,
                      subject_user_id=getattr(subject_user, "id", None), department_id=dept_id,
                      centipoints=to_centi(points), rule=rule[:120], source=source, day=day,
                      recorded_by_id=getattr(recorded_by, "id", None), recorded_at=clock.now(),
                      evidence=evidence, note=note, dedupe_key=key)


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
    row = ScoreEvent(hall_id=event.hall_id, subject_user_id=event.subject_user_id,
                     department_id=event.department_id, centipoints=-event.centipoints,
                     rule=f"撤销：{event.rule}"[:120], source=event.source, day=event.day,
                     recorded_by_id=getattr(by, "id", None), releases_key=release,
                     recorded_at=clock.now(), evidence=event.evidence, note=reason, reverses_id=event.id)
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:
        raise ScoreError("这条记录已经撤销过了", 409) from None
    return row


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


# --- months and totals ---------------------------------------------------------------------

def month_range(year: int, month: int) -> tuple[date, date]:
    """Return the first day of the month and the first day of the next."""
    return date(year, month, 1), date(year + month // 12, month % 12 + 1, 1)


@dataclass
class PersonTotal:
    """A person's month in one department: a person who moved has one per department of the month."""

    user: User
    department: Department | None = None
    centipoints: int = 0
    lost_centi: int = 0  # deductions not voided: what the person-to-unit rule counts
    count: int = 0

    @property
    def total(self) -> Decimal:
        return Decimal(self.centipoints) / 100

    @property
    def lost(self) -> Decimal:
        return Decimal(self.lost_centi) / 100


@dataclass
class UnitTotal:
    department: Department
    direct_centi: int = 0
    linked: list = field(default_factory=list)  # (PersonTotal, unit centipoints) under the person-to-unit rule

    @property
    def linked_centi(self) -> int:
        return sum(c for _p, c in self.linked)

    @property
    def total(self) -> Decimal:
        return Decimal(self.direct_centi + self.linked_centi) / 100

    @property
    def direct(self) -> Decimal:
        return Decimal(self.direct_centi) / 100


def linked_unit_centi(lost_centi: int) -> int:
    """Return what a person's lost points cost their unit (e.g. each 5 lost -> unit -2)."""
    threshold = to_centi(rules.get("unit_points.staff_loss_threshold"))
    if threshold <= 0 or lost_centi < threshold:
        return 0
    return -(lost_centi // threshold) * to_centi(rules.get("unit_points.staff_loss_unit_points"))


def person_totals(hall_id: int, year: int, month: int, department_id: int | None = None,
                  user_id: int | None = None) -> list[PersonTotal]:
    """Return each person's month total and unvoided deductions per department of the day, in one query."""
    start, end = month_range(year, month)
    rev = aliased(ScoreEvent)
    lost = case((and_(ScoreEvent.centipoints < 0, ScoreEvent.reverses_id.is_(None), rev.id.is_(None)),
                 -ScoreEvent.centipoints), else_=0)
    q = (select(User, Department, func.sum(ScoreEvent.centipoints), func.sum(lost), func.count(ScoreEvent.id))
         .join(ScoreEvent, ScoreEvent.subject_user_id == User.id)
         .outerjoin(Department, Department.id == ScoreEvent.department_id)
         .outerjoin(rev, rev.reverses_id == ScoreEvent.id)
         .where(ScoreEvent.hall_id == hall_id, ScoreEvent.day >= start, ScoreEvent.day < end)
         .group_by(User.id, Department.id).order_by(User.id, Department.id).options(lazyload(User.role_rows)))
    if department_id:
        q = q.where(ScoreEvent.department_id == department_id)
    if user_id:
        q = q.where(ScoreEvent.subject_user_id == user_id)
    return [PersonTotal(u, d, int(total or 0), int(lost_c or 0), n)
            for u, d, total, lost_c, n in db.session.execute(q)]


def person_total(hall_id: int, year: int, month: int, user_id: int) -> PersonTotal | None:
    """Return one person's month total over every department they served in that month."""
    rows = person_totals(hall_id, year, month, user_id=user_id)
    if not rows:
        return None
    return PersonTotal(rows[0].user, rows[-1].department, sum(r.centipoints for r in rows),
                       sum(r.lost_centi for r in rows), sum(r.count for r in rows))


def unit_totals(hall_id: int, year: int, month: int, department_id: int | None = None,
                people: list[PersonTotal] | None = None) -> list[UnitTotal]:
    """Return each window unit's month total: its own events plus the person-to-unit rule."""
    q = select(Department).where(Department.hall_id == hall_id, Department.kind == "window_unit")
    if department_id:
        q = q.where(Department.id == department_id)
    units = db.session.execute(q.order_by(Department.sort_order, Department.id)).scalars().all()
    return _fill(hall_id, year, month, units, department_id, people)


def unit_total(department: Department, year: int, month: int) -> UnitTotal:
    """Return one unit's month total."""
    return _fill(department.hall_id, year, month, [department], department.id, None)[0]


def _fill(hall_id, year, month, departments, department_id, people) -> list[UnitTotal]:
    start, end = month_range(year, month)
    units = {d.id: UnitTotal(d) for d in departments}
    direct = (select(ScoreEvent.department_id, func.sum(ScoreEvent.centipoints))
              .where(ScoreEvent.hall_id == hall_id, ScoreEvent.subject_user_id.is_(None),
                     ScoreEvent.day >= start, ScoreEvent.day < end).group_by(ScoreEvent.department_id))
    if department_id:
        direct = direct.where(ScoreEvent.department_id == department_id)
    for dept_id, total in db.session.execute(direct):
        if dept_id in units:
            units[dept_id].direct_centi = int(total or 0)
    if people is None:
        people = person_totals(hall_id, year, month, department_id)
    for person in people:
        unit = units.get(person.department.id if person.department else None)
        cost = linked_unit_centi(person.lost_centi)
        if unit is not None and cost:
            unit.linked.append((person, cost))
    return list(units.values())


def events(hall_id: int, year: int, month: int, user_id: int | None = None,
           department_id: int | None = None, unit_only: bool = False) -> list[ScoreEvent]:
    """Return a month's events of a person or a unit, oldest first."""
    start, end = month_range(year, month)
    q = (select(ScoreEvent).where(ScoreEvent.hall_id == hall_id, ScoreEvent.day >= start, ScoreEvent.day < end)
         .options(joinedload(ScoreEvent.recorded_by).lazyload(User.role_rows),
                  joinedload(ScoreEvent.subject_user).lazyload(User.role_rows))
         .order_by(ScoreEvent.day, ScoreEvent.id))
    if user_id:
        q = q.where(ScoreEvent.subject_user_id == user_id)
    if department_id:
        q = q.where(ScoreEvent.department_id == department_id)
    if unit_only:
        q = q.where(ScoreEvent.subject_user_id.is_(None))
    return db.session.execute(q).scalars().all()


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


def month_by_hall(hall_ids: list[int], year: int, month: int) -> dict[int, dict]:
    """Return each hall's month in the ledger (net points, deductions, bonuses) in one query (the county's table)."""
    first, after = month_range(year, month)
    rows = db.session.execute(
        select(ScoreEvent.hall_id, func.count(ScoreEvent.id), func.sum(ScoreEvent.centipoints),
               func.sum(case((ScoreEvent.centipoints < 0, ScoreEvent.centipoints), else_=0)),
               func.sum(case((ScoreEvent.centipoints > 0, ScoreEvent.centipoints), else_=0)))
        .where(ScoreEvent.hall_id.in_(hall_ids), ScoreEvent.day >= first, ScoreEvent.day < after)
        .group_by(ScoreEvent.hall_id)).all()
    out = {h: {"events": 0, "net_centi": 0, "minus_centi": 0, "plus_centi": 0} for h in hall_ids}
    for hall_id, count, net, minus, plus in rows:
        out[hall_id] = {"events": count, "net_centi": int(net or 0), "minus_centi": int(minus or 0),
                        "plus_centi": int(plus or 0)}
    return out
