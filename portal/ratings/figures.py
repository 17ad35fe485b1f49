"""The month's ratings figures (好差评统计) by window, unit and staff member, in a fixed number of queries.

Counted as the published figures are: a visit invited and not rated in time is unrated (or 满意 when the
rulebook's Xinjiang option is on); a review voided on appeal (差评无效) is left out altogether; good is
非常满意, 满意 and 基本满意, bad is 不满意 and 非常不满意; a case concluded 无法整改 is not rectified.
"""
from dataclasses import dataclass
from datetime import date

from sqlalchemy import case as when
from sqlalchemy import func, select

from ..auth.models import User
from ..extensions import db
from ..org.models import Department, Window
from ..rulebook import service as rules
from .models import BAD_LEVELS, CaseStep, Invitation, Rating, RatingCase

RECTIFIED = ("callback", "closed")


@dataclass
class Tally:
    """Counts for one window, unit, staff member or the hall, and the rates published from them."""

    visits: int = 0
    good: int = 0
    bad: int = 0
    unrated: int = 0
    rectified: int = 0
    named: int = 0
    called_back: int = 0

    @property
    def ratings(self) -> int:
        return self.good + self.bad

    @staticmethod
    def _rate(part: int, whole: int) -> float | None:
        return round(100 * part / whole, 1) if whole else None

    @property
    def good_rate(self):
        return self._rate(self.good, self.ratings)

    @property
    def bad_rate(self):
        return self._rate(self.bad, self.ratings)

    @property
    def evaluation_rate(self):
        return self._rate(self.ratings, self.visits)

    @property
    def unrated_rate(self):
        return self._rate(self.unrated, self.visits)

    @property
    def rectification_rate(self):
        return self._rate(self.rectified, self.bad)

    @property
    def callback_rate(self):
        return self._rate(self.called_back, self.named)

    def add(self, row, as_good: bool) -> None:
        n = row.n
        self.visits += n
        if row.level is None:
            self.good, self.unrated = (self.good + n, self.unrated) if as_good else (self.good, self.unrated + n)
        elif row.level in BAD_LEVELS:
            self.bad += n
            self.rectified += n if row.state in RECTIFIED and not row.unable else 0
            self.named += n if row.named else 0
            self.called_back += n if row.named and row.called else 0
        else:
            self.good += n


def _columns(source, called):
    named = when((Rating.rater_phone != "", 1), else_=0)
    return (source.hall_id.label("hall_id"), source.window_id.label("window_id"),
            source.department_id.label("department_id"),
            source.staff_id.label("staff_id"), Rating.level.label("level"), RatingCase.state.label("state"),
            RatingCase.unable.label("unable"),
            named.label("named"), when((called.c.case_id.is_not(None), 1), else_=0).label("called"),
            func.count().label("n"))


def _rows(hall_ids: list[int], start: date, end: date) -> list:
    called = select(CaseStep.case_id).where(CaseStep.action == "callback").distinct().subquery()
    visits = (select(*_columns(Invitation, called)).select_from(Invitation)
              .outerjoin(Rating, Rating.invitation_id == Invitation.id)
              .outerjoin(RatingCase, RatingCase.rating_id == Rating.id)
              .outerjoin(called, called.c.case_id == RatingCase.id)
              .where(Invitation.hall_id.in_(hall_ids), Invitation.day >= start, Invitation.day < end))
    online = (select(*_columns(Rating, called)).select_from(Rating)
              .outerjoin(RatingCase, RatingCase.rating_id == Rating.id)
              .outerjoin(called, called.c.case_id == RatingCase.id)
              .where(Rating.hall_id.in_(hall_ids), Rating.invitation_id.is_(None), Rating.day >= start,
                     Rating.day < end))
    found = []
    for q in (visits, online):
        found += db.session.execute(q.group_by(*q.selected_columns[:-1])).all()
    return [r for r in found if r.state != "void"]


@dataclass
class Figures:
    """The month's tallies: the hall's, and by window, unit and staff member (with their names)."""

    total: Tally
    by_window: list
    by_department: list
    by_staff: list


def month(hall_id: int, start: date, end: date) -> Figures:
    """Count the ratings of visits between start and end (exclusive)."""
    as_good = rules.get("evaluation.unrated_counts_as_satisfied")
    total, groups = Tally(), {"window_id": {}, "department_id": {}, "staff_id": {}}
    for row in _rows([hall_id], start, end):
        total.add(row, as_good)
        for attr, found in groups.items():
            key = getattr(row, attr)
            if key is not None:
                found.setdefault(key, Tally()).add(row, as_good)
    return Figures(total, _named(Window, groups["window_id"], lambda w: f"{w.number}号 {w.name}", Window.number),
                   _named(Department, groups["department_id"], lambda d: d.name, Department.sort_order),
                   _named(User, groups["staff_id"], lambda u: u.name, User.name))


def _named(model, tallies: dict, label, order) -> list[tuple[str, Tally]]:
    if not tallies:
        return []
    rows = db.session.execute(select(model).where(model.id.in_(tallies)).order_by(order, model.id)).scalars()
    return [(label(r), tallies[r.id]) for r in rows]


def total(hall_id: int, start: date, end: date, as_good: bool | None = None) -> Tally:
    """Return the hall's tally between start and end (exclusive), in two queries."""
    if as_good is None:
        as_good = rules.get("evaluation.unrated_counts_as_satisfied", hall_id)
    tally = Tally()
    for row in _rows([hall_id], start, end):
        tally.add(row, as_good)
    return tally


def trend(hall_id: int, months: list[tuple[date, date]]) -> list[tuple[date, Tally]]:
    """Return the hall's tally of each month (two queries a month, whatever the number of ratings)."""
    return [(start, total(hall_id, start, end)) for start, end in months]


def by_hall(hall_ids: list[int], start: date, end: date) -> dict[int, Tally]:
    """Return each hall's tally between start and end, in two queries whatever the halls (the county's table)."""
    as_good = {h: rules.get("evaluation.unrated_counts_as_satisfied", h) for h in hall_ids}  # a station's own
    out = {h: Tally() for h in hall_ids}
    for row in _rows(hall_ids, start, end):
        out[row.hall_id].add(row, as_good[row.hall_id])
    return out
