"""流动红旗: the month's top window units by the rulebook's formula, the quarter's and year's from the months.

A month's standings are computed from its published sheets (`sheet.month`), the duty leaders' votes and the
service users' good rate; awarding stores the flags and gives each flagged unit's staff the rulebook's bonus
on the ledger, once (a keyed score event).
"""
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select

from .. import clock
from ..extensions import db
from ..ratings import figures as ratings
from ..refusals import Refusal
from ..rulebook import service as rules
from ..scores import service as scores
from . import picking, votes
from . import sheet as sheets
from .award_models import RedFlagAward

PARTS = ("unit", "staff", "votes", "rating")
CENT = Decimal("0.01")


class RedFlagError(Refusal):
    """A refused red-flag action (流动红旗), with a Chinese message and the HTTP status to answer."""


@dataclass
class Standing:
    """One window unit's red-flag standing for a month: the formula's parts, its score, its flag."""

    sheet: object  # the unit's published sheet (figures.Sheet)
    staff_centi: int | None  # its staff's average total
    votes: int
    ballots: int
    good_rate: float | None
    score: Decimal = Decimal(0)
    place: int = 0
    flagged: bool = False
    shared: bool = False

    @property
    def department(self):
        return self.sheet.department

    @property
    def vote_share(self) -> Decimal:
        return (Decimal(self.votes * 100) / self.ballots).quantize(CENT) if self.ballots else Decimal(0)


@dataclass(frozen=True)
class Formula:
    """How the month's red flags are scored: by the unit's total, or weighted parts (percent each)."""

    kind: str
    weights: dict

    def score(self, s: Standing) -> Decimal:
        """Return a unit's score under this formula, to the hundredth."""
        unit = Decimal(s.sheet.total_centi) / 100
        if self.kind == "total":
            return unit
        parts = {"unit": unit, "staff": Decimal(s.staff_centi or 0) / 100, "votes": s.vote_share,
                 "rating": Decimal(str(s.good_rate or 0))}
        return (sum(parts[k] * self.weights[k] for k in PARTS) / 100).quantize(CENT, ROUND_HALF_UP)


def formula(hall_id: int) -> Formula:
    """Return the formula the hall's rulebook has in force."""
    return Formula(rules.get("assessment.red_flag_formula", hall_id),
                   {k: rules.get(f"assessment.red_flag_weight_{k}", hall_id) for k in PARTS})


def _tie_key(standing: Standing, how: str):
    return {"fewer_deductions": standing.sheet.deduction_centi, "more_votes": standing.votes}.get(how, 0)


def standings(hall_id: int, year: int, month: int, result=None) -> list[Standing]:
    """Return the month's standings, best first, with the flags the rulebook gives (ties as it says)."""
    result = result or sheets.month(hall_id, year, month)
    start, end = scores.month_range(year, month)
    rates = {name: tally.good_rate for name, tally in ratings.month(hall_id, start, end).by_department}
    counted, ballots = votes.counts(hall_id, year, month)
    rows = []
    for unit in result.units:
        staff = [p.total_centi for p in result.people if p.department_id == unit.department_id]
        rows.append(Standing(unit, sum(staff) // len(staff) if staff else None, counted.get(unit.department_id, 0),
                             ballots, rates.get(unit.department.name)))
    how, rule = rules.get("assessment.red_flag_tie_break", hall_id), formula(hall_id)
    for s in rows:
        s.score = rule.score(s)
    picked = picking.top(rows, rules.get("assessment.red_flags_per_month", hall_id),
                         lambda s: (s.score, _tie_key(s, how)), share_ties=True)
    for s in picked.chosen:
        s.flagged, s.shared = True, s in picked.shared
    rows.sort(key=lambda s: (s.score, _tie_key(s, how)), reverse=True)
    previous, place = None, 0
    for n, s in enumerate(rows, start=1):
        if (s.score, _tie_key(s, how)) != previous:
            place, previous = n, (s.score, _tie_key(s, how))
        s.place = place  # equal scores (after the tie-break) share a place
    return rows


def awarded(hall_id: int, year: int, months: tuple[int, ...] | None = None) -> list[RedFlagAward]:
    """Return the red flags awarded in a year (or some of its months), by month and place."""
    q = select(RedFlagAward).where(RedFlagAward.hall_id == hall_id, RedFlagAward.year == year)
    if months:
        q = q.where(RedFlagAward.month.in_(months))
    return db.session.execute(q.order_by(RedFlagAward.month, RedFlagAward.place)).scalars().all()


def award(user, year: int, month: int) -> list[RedFlagAward]:
    """Award the month's red flags from its published sheets, and each flagged unit's staff their bonus, once."""
    result = sheets.month(user.hall_id, year, month)
    if not result.frozen:
        raise RedFlagError("本月考核公示后才能评定流动红旗", 409)
    if awarded(user.hall_id, year, (month,)):
        raise RedFlagError(f"{result.label}的流动红旗已评定", 409)
    now, rows = clock.now(), []
    for s in standings(user.hall_id, year, month, result):
        if s.flagged:
            rows.append(RedFlagAward(hall_id=user.hall_id, year=year, month=month, department_id=s.sheet.department_id,
                                     place=s.place, score_centi=int(s.score * 100), shared=s.shared,
                                     awarded_by_id=user.id, awarded_at=now))
            _bonus(result, s.sheet.department_id, user)
    db.session.add_all(rows)
    db.session.flush()
    return rows


def _bonus(result, department_id: int, by) -> None:
    """Give each of the unit's staff on the month's sheets the rulebook's red-flag bonus (keyed: once)."""
    points = rules.get("staff_points.bonus_red_flag", result.hall_id)
    for person in result.people:
        if person.department_id == department_id and points:
            scores.record(person.user, points=points, rule=f"流动红旗窗口（{result.label}）", source="award",
                          day=clock.today(), recorded_by=by, department_id=department_id,
                          key=f"red-flag:{result.year}-{result.month:02d}:{department_id}:{person.user_id}")


@dataclass
class PeriodFlag:
    """A unit's red flags of the months of a quarter or a year, and whether it wins the period's flag."""

    department: object
    months: list
    score_centi: int
    flagged: bool = False


def period(hall_id: int, year: int, months: tuple[int, ...], how_many_key: str) -> list[PeriodFlag]:
    """Return the units with monthly red flags in the months: most flags first (then the scores), and winners."""
    found: dict[int, PeriodFlag] = {}
    for row in awarded(hall_id, year, months):
        flag = found.setdefault(row.department_id, PeriodFlag(row.department, [], 0))
        flag.months.append(row.month)
        flag.score_centi += row.score_centi
    ranked = list(found.values())
    for f in picking.top(ranked, rules.get(how_many_key, hall_id), lambda f: (len(f.months), f.score_centi),
                         share_ties=True).chosen:
        f.flagged = True
    return sorted(ranked, key=lambda f: (len(f.months), f.score_centi), reverse=True)


def quarter(hall_id: int, year: int, q: int) -> list[PeriodFlag]:
    """Return the quarter's red flags from its months' (each quarter's count from the rulebook)."""
    return period(hall_id, year, tuple(range(3 * q - 2, 3 * q + 1)), "assessment.red_flags_per_quarter")


def whole_year(hall_id: int, year: int) -> list[PeriodFlag]:
    """Return the year's red flags from its months'."""
    return period(hall_id, year, tuple(range(1, 13)), "assessment.red_flags_per_year")
