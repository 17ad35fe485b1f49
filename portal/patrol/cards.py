"""The window cards of a round, read as columns (display only): posts today, visits, findings and photos."""
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import and_, bindparam, literal_column, null, select, union_all

from ..auth.models import User
from ..duty import service as duty
from ..extensions import db
from ..org.models import Department, Window
from ..rawquery import DriverStatement, together
from ..records import hall_record
from ..uploads.models import StoredFile
from .findings import PHOTO_OWNER, PatrolError
from .models import OUTCOMES, ChecklistTemplate, PatrolFinding, PatrolFindingVoid, PatrolRound, PatrolVisit
from .service import PROGRESS


class Person(NamedTuple):
    """Someone named on a card: on a post or in a finding."""

    id: int
    name: str


class Photo(NamedTuple):
    """A photo of a visit, as its card links it."""

    token: str


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

    @property
    def line(self) -> str:
        """What a card says of the visit: its outcome, or the labels of its findings."""
        if not self.findings:
            return self.outcome_label
        return "问题：" + "、".join(f.label for f in self.findings)


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
_S = StoredFile.__table__


def _window_columns(day, hall_id) -> list:
    return [_W.c.id, _W.c.number.label("number"), _W.c.name, _D.c.name, _W.c.a_post_id, _A.c.name,
            duty.still_out(_W.c.a_post_id, day, hall_id), _W.c.b_post_id, _B.c.name,
            duty.still_out(_W.c.b_post_id, day, hall_id)]


def _with_posts(joined):
    return (joined.outerjoin(_D, _D.c.id == _W.c.department_id).outerjoin(_A, _A.c.id == _W.c.a_post_id)
            .outerjoin(_B, _B.c.id == _W.c.b_post_id))


def _with_photos(head: list, joined, *where):
    """Return the statement's rows (kind 0) followed by the photos of its visits (kind 1), in one statement.

    The round, window and visit rows carry each visit's findings; a photo row carries only its visit's id, the
    photo's id in the finding's place and its token, the rest NULL (UNION ALL of typed rows).
    """
    visits = (_V.c.id.label("visit"), _V.c.outcome, _V.c.na_reason, _V.c.corrected)
    findings = (_F.c.label, _F.c.person_id, _P.c.name, _F.c.person_centi, _F.c.unit_centi, _X.c.id)
    rows = (select(literal_column("0").label("kind"), *head, *visits, _F.c.id.label("detail"), *findings, null())
            .select_from(joined.outerjoin(_V, and_(_V.c.round_id == _R.c.id, _V.c.window_id == _W.c.id))
                         .outerjoin(_F, _F.c.visit_id == _V.c.id).outerjoin(_P, _P.c.id == _F.c.person_id)
                         .outerjoin(_X, _X.c.finding_id == _F.c.id))
            .where(_R.c.id == bindparam("round")))
    photos = (select(literal_column("1"), *[null()] * len(head), _S.c.owner_id, *[null()] * 3, _S.c.id,
                     *[null()] * len(findings), _S.c.token)
              .where(_S.c.owner_type == PHOTO_OWNER,  # found from the round's visits, not from every photo
                     _S.c.owner_id.in_(select(_V.c.id).where(_V.c.round_id == bindparam("round"), *where))))
    both = union_all(rows, photos)
    return both.order_by(*(both.selected_columns[k] for k in ("kind", "number", "visit", "detail")))


_WINDOWS = (select(*_window_columns(bindparam("day"), bindparam("hall"))).select_from(_with_posts(_W))
            .where(_W.c.hall_id == bindparam("hall"), _W.c.active.is_(True)).order_by(_W.c.number))
_ONE_WINDOW = _WINDOWS.where(_W.c.id == bindparam("window"))
# A card on its own: the round, its window, the posts and who of them is out, the window's visits with their
# findings, and their photos, in one statement.
_ROUND_CARD = _with_photos(
    [_R.c.id, _R.c.hall_id, _R.c.day, _R.c.finished_at, *_window_columns(_R.c.day, _R.c.hall_id)],
    _with_posts(_R.outerjoin(_W, and_(_W.c.id == bindparam("window"), _W.c.hall_id == _R.c.hall_id,
                                      _W.c.active.is_(True)))),
    _V.c.window_id == bindparam("window"))
# The grid: the round with its patroller and checklist version, joined to every active window of its hall, and
# each window's visits with their findings and photos.
_ROUND_GRID = _with_photos(
    [_R.c.id, _R.c.hall_id, _R.c.day, _R.c.finished_at, _R.c.started_at, _PR.c.name, _T.c.version,
     *_window_columns(_R.c.day, _R.c.hall_id)],
    _with_posts(_R.outerjoin(_PR, _PR.c.id == _R.c.patroller_id).outerjoin(_T, _T.c.id == _R.c.template_id)
                .outerjoin(_W, and_(_W.c.hall_id == _R.c.hall_id, _W.c.active.is_(True)))))


def _card(row) -> Card:
    wid, number, name, unit, a_id, a_name, a_out, b_id, b_name, b_out = row
    posts = [(label, Person(pid, pname), bool(out))
             for label, pid, pname, out in (("A", a_id, a_name, a_out), ("B", b_id, b_name, b_out)) if pid is not None]
    return Card(CardWindow(wid, number, name, unit), posts)


def _cards_of(rows, first: int) -> dict[int, Card]:
    """Return the cards of rows whose window columns start at first, followed by the visit columns."""
    by_window, card, visit, photos = {}, None, None, {}
    detail = first + 10
    for row in rows:
        vid, outcome, na_reason, corrected, fid, label, pid, pname, p_centi, u_centi, void, token = row[detail:]
        if row[0]:  # a photo of a visit shown (the kind-0 rows came first)
            if vid in photos:
                photos[vid].append(Photo(token))
            continue
        wid = row[first]
        if wid is None:
            continue
        if card is None or card.window.id != wid:
            card = by_window[wid] = _card(row[first:detail])
        if vid is None:
            continue
        if visit is None or visit.id != vid:
            visit = VisitLine(vid, outcome, na_reason, corrected)
            card.visits.append(visit)
            photos[vid] = card.photos[vid] = []
        if fid is not None:
            visit.findings.append(FindingLine(label, Person(pid, pname) if pid is not None else None,
                                              p_centi, u_centi, void))
    return by_window


def cards(patrol, window_id: int | None = None, with_visits: bool = True) -> list[Card]:
    """Return the window cards of a round (or of one window) in one query, however big the hall."""
    if with_visits:
        shown = list(_cards_of(_round_rows(patrol.id, window_id), 5 if window_id is not None else 8).values())
    else:
        params = {"hall": patrol.hall_id, "day": patrol.day, "window": window_id}
        shown = [_card(row) for row in db.session.execute(_WINDOWS if window_id is None else _ONE_WINDOW, params)]
    if window_id is not None and not shown:
        raise PatrolError("没有这个窗口", 404)
    return shown


_CARD_RUN, _GRID_RUN, _PROGRESS_RUN = (DriverStatement(_ROUND_CARD), DriverStatement(_ROUND_GRID),
                                      DriverStatement(PROGRESS))


def card_and_progress(patrol, window_id: int) -> tuple[Card, tuple[int, int]]:
    """Return a window's card in the round and the round's progress (windows checked, active windows) at once:
    one round trip on PostgreSQL (what a saved visit answers with)."""
    rows, counts = together(db.session.connection(), [
        (_CARD_RUN, {"round": patrol.id, "window": window_id}), (_PROGRESS_RUN, {"round": patrol.id,
                                                                                 "hall": patrol.hall_id})])
    shown = _cards_of(rows, 5)
    if window_id not in shown:
        raise PatrolError("没有这个窗口", 404)
    checked, total = counts[0]
    return shown[window_id], (checked, total)


def _round_rows(round_id: int, window_id: int | None) -> list:
    params = {"round": round_id, "window": window_id}
    return db.session.execute(_ROUND_GRID if window_id is None else _ROUND_CARD, params).all()


def round_card(user, round_id: int, window_id: int) -> tuple[RoundRef, Card]:
    """Return a round of the person's hall (or an audited 404) and one window's card in it, in one query
    read outside the session (the card is only shown)."""
    rows = _CARD_RUN.all(db.engine, round=round_id, window=window_id)
    if not rows or rows[0][2] != user.hall_id:
        hall_record(PatrolRound, round_id, hall_id=user.hall_id)  # answers the audited 404
    if rows[0][5] is None:
        raise PatrolError("没有这个窗口", 404)
    return RoundRef(*rows[0][1:5]), _cards_of(rows, 5)[window_id]


def round_cards(user, round_id: int) -> tuple[RoundView, list[Card]]:
    """Return a round of the person's hall (or an audited 404) and its window cards, in one query read outside
    the session (the grid is only shown)."""
    rows = _GRID_RUN.all(db.engine, round=round_id)
    if not rows or rows[0][2] != user.hall_id:
        hall_record(PatrolRound, round_id, hall_id=user.hall_id)  # answers the audited 404
    return RoundView(*rows[0][1:8]), list(_cards_of(rows, 8).values())
