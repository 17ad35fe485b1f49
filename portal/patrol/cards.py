"""The window cards of a round, read as columns (display only): posts today, visits, findings and photos."""
from dataclasses import dataclass, field
from typing import NamedTuple

from sqlalchemy import bindparam, select

from ..auth.models import User
from ..extensions import db
from ..org.models import Department, Window
from ..uploads import service as uploads
from . import service
from .findings import PHOTO_OWNER, PatrolError
from .models import OUTCOMES, PatrolFinding, PatrolFindingVoid, PatrolVisit


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


# Built once from the tables (core columns: no ORM loading on a display path); only parameters change.
_W, _D, _A, _B = Window.__table__, Department.__table__, User.__table__.alias("a"), User.__table__.alias("b")
_V, _F, _P, _X = PatrolVisit.__table__, PatrolFinding.__table__, User.__table__, PatrolFindingVoid.__table__
_WINDOWS = (select(_W.c.id, _W.c.number, _W.c.name, _D.c.name, _W.c.a_post_id, _A.c.name, _W.c.b_post_id, _B.c.name)
            .select_from(_W.outerjoin(_D, _D.c.id == _W.c.department_id).outerjoin(_A, _A.c.id == _W.c.a_post_id)
                         .outerjoin(_B, _B.c.id == _W.c.b_post_id))
            .where(_W.c.hall_id == bindparam("hall"), _W.c.active.is_(True)).order_by(_W.c.number))
_ONE_WINDOW = _WINDOWS.where(_W.c.id == bindparam("window"))
_VISITS = (select(_V.c.id, _V.c.window_id, _V.c.outcome, _V.c.na_reason, _V.c.corrected, _F.c.id, _F.c.label,
                  _F.c.person_id, _P.c.name, _F.c.person_centi, _F.c.unit_centi, _X.c.id)
           .select_from(_V.outerjoin(_F, _F.c.visit_id == _V.c.id).outerjoin(_P, _P.c.id == _F.c.person_id)
                        .outerjoin(_X, _X.c.finding_id == _F.c.id))
           .where(_V.c.round_id == bindparam("round")).order_by(_V.c.id, _F.c.id))
_ONE_WINDOW_VISITS = _VISITS.where(_V.c.window_id == bindparam("window"))


def _card(row, leave) -> Card:
    wid, number, name, unit, a_id, a_name, b_id, b_name = row
    posts = [(label, Person(pid, pname), pid in leave)
             for label, pid, pname in (("A", a_id, a_name), ("B", b_id, b_name)) if pid is not None]
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


def cards(patrol, window_id: int | None = None, with_visits: bool = True) -> list[Card]:
    """Return the window cards of a round (or of one window) in a few queries, however big the hall."""
    params = {"hall": patrol.hall_id, "window": window_id}
    rows = db.session.execute(_WINDOWS if window_id is None else _ONE_WINDOW, params).all()
    if window_id is not None and not rows:
        raise PatrolError("没有这个窗口", 404)
    leave = service.on_leave(patrol.day, patrol.hall_id)
    by_window = {row[0]: _card(row, leave) for row in rows}
    if not with_visits:
        return list(by_window.values())
    visits = [(wid, v) for wid, v in _visits(patrol.id, window_id) if wid in by_window]
    photos = uploads.files_of(PHOTO_OWNER, [v.id for _w, v in visits]) if visits else {}
    for wid, visit in visits:
        card = by_window[wid]
        card.visits.append(visit)
        card.photos[visit.id] = photos.get(visit.id, [])
    return list(by_window.values())
