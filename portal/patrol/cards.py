"""The window cards of a round, read as columns (display only): posts today, visits, findings and photos."""
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import and_, bindparam, select

from ..auth.models import User
from ..duty import service as duty
from ..extensions import db
from ..org.models import Department, Window
from ..records import hall_record
from ..uploads import service as uploads
from .findings import PHOTO_OWNER, PatrolError
from .models import OUTCOMES, ChecklistTemplate, PatrolFinding, PatrolFindingVoid, PatrolRound, PatrolVisit


class Person(NamedTuple):
    """Someone named on a card: on a post or in a finding."""

    id: int
    name: str


class CardWindow(NamedTuple):
    """The window a card is about."""

    id: int
    number: int
    name: str
    department_name: str | None


class FindingLine(NamedTuple):
    """A finding as a card and the summary show it."""

    label: str
    person: Person | None
    person_centi: int
    unit_centi: int
    void: int | None  # the void's id when the finding was voided


@dataclass
class VisitLine:
    """One save of the window's card, with its findings in order."""

    id: int
    outcome: str
    na_reason: str
    corrected: bool
    findings: list = field(default_factory=list)

    @property
    def outcome_label(self) -> str:
        return OUTCOMES.get(self.outcome, self.outcome)


@dataclass
class Card:
    """What a window's card shows in a round: its posts today and what was recorded."""

    window: CardWindow
    posts: list = field(default_factory=list)  # (label, person, on_leave)
    visits: list = field(default_factory=list)
    photos: dict = field(default_factory=dict)

    @property
    def state(self) -> str:
        if not self.visits:
            return "todo"
        if any(v.findings for v in self.visits):
            return "findings"
        return self.visits[-1].outcome

    @property
    def finding_count(self) -> int:
        return sum(len(v.findings) for v in self.visits)


class RoundRef(NamedTuple):
    """A round's own columns, for an answer that shows neither its patroller nor its checklist (a card)."""

    id: int
    hall_id: int
    day: date
    finished_at: datetime | None

    @property
    def finished(self) -> bool:
        return self.finished_at is not None


class RoundView(NamedTuple):
    """A round as its window grid heads it: its own columns, the patroller's name and the checklist version."""

    id: int
    hall_id: int
    day: date
    finished_at: datetime | None
    started_at: datetime
    patroller_name: str
    template_version: int

    @property
    def finished(self) -> bool:
        return self.finished_at is not None


# Built once from the tables (core columns: no ORM loading on a display path); only parameters change.
_R, _W, _D = PatrolRound.__table__, Window.__table__, Department.__table__
_A, _B = User.__table__.alias("a"), User.__table__.alias("b")
_PR, _T = User.__table__.alias("patroller"), ChecklistTemplate.__table__
_V, _F, _P, _X = PatrolVisit.__table__, PatrolFinding.__table__, User.__table__, PatrolFindingVoid.__table__


def _window_columns(day, hall_id) -> list:
    return [_W.c.id, _W.c.number, _W.c.name, _D.c.name, _W.c.a_post_id, _A.c.name,
            duty.still_out(_W.c.a_post_id, day, hall_id), _W.c.b_post_id, _B.c.name,
            duty.still_out(_W.c.b_post_id, day, hall_id)]


def _with_posts(joined):
    return (joined.outerjoin(_D, _D.c.id == _W.c.department_id).outerjoin(_A, _A.c.id == _W.c.a_post_id)
            .outerjoin(_B, _B.c.id == _W.c.b_post_id))


_WINDOWS = (select(*_window_columns(bindparam("day"), bindparam("hall"))).select_from(_with_posts(_W))
            .where(_W.c.hall_id == bindparam("hall"), _W.c.active.is_(True)).order_by(_W.c.number))
_ONE_WINDOW = _WINDOWS.where(_W.c.id == bindparam("window"))
# A card on its own: the round, its window, the posts and who of them is out, in one statement.
_ROUND_CARD = (select(_R.c.id, _R.c.hall_id, _R.c.day, _R.c.finished_at, *_window_columns(_R.c.day, _R.c.hall_id))
               .select_from(_with_posts(_R.outerjoin(_W, and_(_W.c.id == bindparam("window"),
                                                              _W.c.hall_id == _R.c.hall_id, _W.c.active.is_(True)))))
               .where(_R.c.id == bindparam("round")))
# The grid: the round with its patroller and checklist version, joined to every active window of its hall.
_ROUND_GRID = (select(_R.c.id, _R.c.hall_id, _R.c.day, _R.c.finished_at, _R.c.started_at, _PR.c.name, _T.c.version,
                      *_window_columns(_R.c.day, _R.c.hall_id))
               .select_from(_with_posts(_R.outerjoin(_PR, _PR.c.id == _R.c.patroller_id)
                                        .outerjoin(_T, _T.c.id == _R.c.template_id)
                                        .outerjoin(_W, and_(_W.c.hall_id == _R.c.hall_id, _W.c.active.is_(True)))))
               .where(_R.c.id == bindparam("round")).order_by(_W.c.number))
_VISITS = (select(_V.c.id, _V.c.window_id, _V.c.outcome, _V.c.na_reason, _V.c.corrected, _F.c.id, _F.c.label,
                  _F.c.person_id, _P.c.name, _F.c.person_centi, _F.c.unit_centi, _X.c.id)
           .select_from(_V.outerjoin(_F, _F.c.visit_id == _V.c.id).outerjoin(_P, _P.c.id == _F.c.person_id)
                        .outerjoin(_X, _X.c.finding_id == _F.c.id))
           .where(_V.c.round_id == bindparam("round")).order_by(_V.c.id, _F.c.id))
_ONE_WINDOW_VISITS = _VISITS.where(_V.c.window_id == bindparam("window"))


def _card(row) -> Card:
    wid, number, name, unit, a_id, a_name, a_out, b_id, b_name, b_out = row
    posts = [(label, Person(pid, pname), bool(out))
             for label, pid, pname, out in (("A", a_id, a_name, a_out), ("B", b_id, b_name, b_out)) if pid is not None]
    return Card(CardWindow(wid, number, name, unit), posts)


def _visits(round_id: int, window_id: int | None) -> list[tuple[int, VisitLine]]:
    """Return (window id, visit) of the round in order, each visit with its findings."""
    params = {"round": round_id, "window": window_id}
    out, by_id = [], {}
    for vid, wid, outcome, na_reason, corrected, fid, label, pid, pname, p_centi, u_centi, void in \
            db.session.execute(_VISITS if window_id is None else _ONE_WINDOW_VISITS, params):
        visit = by_id.get(vid)
        if visit is None:
            visit = by_id[vid] = VisitLine(vid, outcome, na_reason, corrected)
            out.append((wid, visit))
        if fid is not None:
            person = Person(pid, pname) if pid is not None else None
            visit.findings.append(FindingLine(label, person, p_centi, u_centi, void))
    return out


def _add_visits(round_id: int, by_window: dict, window_id: int | None = None) -> None:
    visits = [(wid, v) for wid, v in _visits(round_id, window_id) if wid in by_window]
    photos = uploads.files_of(PHOTO_OWNER, [v.id for _w, v in visits]) if visits else {}
    for wid, visit in visits:
        card = by_window[wid]
        card.visits.append(visit)
        card.photos[visit.id] = photos.get(visit.id, [])


def cards(patrol, window_id: int | None = None, with_visits: bool = True) -> list[Card]:
    """Return the window cards of a round (or of one window) in a few queries, however big the hall."""
    params = {"hall": patrol.hall_id, "day": patrol.day, "window": window_id}
    rows = db.session.execute(_WINDOWS if window_id is None else _ONE_WINDOW, params).all()
    if window_id is not None and not rows:
        raise PatrolError("没有这个窗口", 404)
    by_window = {row[0]: _card(row) for row in rows}
    if with_visits:
        _add_visits(patrol.id, by_window, window_id)
    return list(by_window.values())


def round_card(user, round_id: int, window_id: int) -> tuple[RoundRef, Card]:
    """Return a round of the person's hall (or an audited 404) and one window's card in it, in two queries."""
    row = db.session.execute(_ROUND_CARD, {"round": round_id, "window": window_id}).first()
    if row is None or row[1] != user.hall_id:
        hall_record(PatrolRound, round_id, hall_id=user.hall_id)  # answers the audited 404
    if row[4] is None:
        raise PatrolError("没有这个窗口", 404)
    card = _card(row[4:])
    _add_visits(round_id, {window_id: card}, window_id)
    return RoundRef(*row[:4]), card


def round_cards(user, round_id: int) -> tuple[RoundView, list[Card]]:
    """Return a round of the person's hall (or an audited 404) and its window cards, in two queries."""
    rows = db.session.execute(_ROUND_GRID, {"round": round_id}).all()
    if not rows or rows[0][1] != user.hall_id:
        hall_record(PatrolRound, round_id, hall_id=user.hall_id)  # answers the audited 404
    by_window = {row[7]: _card(row[7:]) for row in rows if row[7] is not None}
    _add_visits(round_id, by_window)
    return RoundView(*rows[0][:7]), list(by_window.values())
