"""The ledger's months: each person's and unit's total, the person-to-unit rule, a month's events."""
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import aliased, joinedload, lazyload

from ..auth.models import User
from ..extensions import db
from ..org.models import Department
from ..rulebook import service as rules
from .models import ScoreEvent, to_centi


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


def source_sums(hall_id: int, year: int, month: int, source: str, user_ids) -> dict[int, int]:
    """Return {user_id: net centipoints} of these people's events of one source in the month, in one query."""
    start, end = month_range(year, month)
    rows = db.session.execute(
        select(ScoreEvent.subject_user_id, func.sum(ScoreEvent.centipoints))
        .where(ScoreEvent.hall_id == hall_id, ScoreEvent.day >= start, ScoreEvent.day < end,
               ScoreEvent.source == source, ScoreEvent.subject_user_id.in_(list(user_ids)))
        .group_by(ScoreEvent.subject_user_id))
    return {uid: int(total or 0) for uid, total in rows}


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
