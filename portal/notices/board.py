"""Reading the board: what a person sees, unread and must-read notices, receipts, the screen's list."""
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import product
from typing import NamedTuple

from sqlalchemy import and_, bindparam, exists, func, or_, select, union_all
from sqlalchemy.orm import joinedload

from .. import clock, hallscope
from ..auth.models import User
from ..extensions import db
from ..org.models import Department, Hall
from ..roles import Role
from .models import CATEGORIES, COUNTY, PUBLISHED, TO_EVERYONE, BoardStamp, Notice, NoticeDepartment, NoticeRead

PAGE_SIZE = 40
_N, _ND = Notice.__table__, NoticeDepartment.__table__


def _live(moment):
    return and_(Notice.state == PUBLISHED, Notice.publish_at <= moment,
                or_(Notice.expires_at.is_(None), Notice.expires_at > moment))


def _addressed_to(user):
    return _addressed_to_department(user.department_id)


def _addressed_to_department(department_id):
    chosen = exists().where(_ND.c.notice_id == _N.c.id, _ND.c.department_id == department_id)
    return or_(_N.c.audience.in_(TO_EVERYONE), chosen)


def _on_board(hall_id: int):
    """The hall's own notices, and the county notices of the two halls above it (station, county)."""
    hall = Hall.__table__
    parent = select(hall.c.parent_id).where(hall.c.id == hall_id).scalar_subquery()
    grand = select(hall.c.parent_id).where(hall.c.id == parent).scalar_subquery()
    return or_(_N.c.hall_id == hall_id,
               and_(_N.c.audience == COUNTY, or_(_N.c.hall_id == parent, _N.c.hall_id == grand)))


def _like(q: str) -> str:
    escaped = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class BoardNotice(NamedTuple):
    """A notice as the board lists it."""

    id: int
    title: str
    category: str
    pinned: bool
    must_read: bool
    emergency: bool
    publish_at: datetime
    author_name: str

    @property
    def category_label(self) -> str:
        return CATEGORIES.get(self.category, self.category)


def _live_ids(hall_id, moment):
    """The ids of the live notices on a hall's board, found among the unexpired ones (ix_notice_live).

    Two branches rather than "no expiry or not yet expired", so that the expired notices of past years are
    not read one by one (the board's cost stays flat with history).
    """
    base = select(_N.c.id).where(_on_board(hall_id), _N.c.state == PUBLISHED, _N.c.publish_at <= moment)
    return union_all(base.where(_N.c.expires_at.is_(None)), base.where(_unexpired(moment)))


def _unexpired(moment):
    """Not expired yet, said as a range (moment, the end of time]: always true for a stored expiry.

    PostgreSQL keeps a prepared statement's generic plan only when it looks no dearer than one planned for
    the actual values; an open "> moment" is guessed to match a third of the notices and made the board be
    planned anew at every request (~0.45 ms). A range of two parameters is guessed narrow, as it is.
    """
    never = bindparam("never", datetime.max.replace(tzinfo=UTC), type_=_N.c.expires_at.type)
    return and_(_N.c.expires_at > moment, _N.c.expires_at <= never)


def _board_statement(everyone: bool, category: bool, search: bool):
    mine, author = NoticeRead.__table__.alias("mine"), User.__table__
    stmt = (select(_N.c.id, _N.c.title, _N.c.category, _N.c.pinned, _N.c.must_read, _N.c.emergency, _N.c.publish_at,
                   author.c.name, mine.c.read_at, mine.c.acknowledged_at)
            .select_from(_N.outerjoin(mine, and_(mine.c.notice_id == _N.c.id, mine.c.user_id == bindparam("user"),
                                                 mine.c.ack_round == _N.c.ack_round))
                         .outerjoin(author, author.c.id == _N.c.author_id))
            .where(_N.c.id.in_(_live_ids(bindparam("hall"), bindparam("now"))))
            .order_by(_N.c.emergency.desc(), _N.c.pinned.desc(), _N.c.publish_at.desc(), _N.c.id.desc())
            .limit(bindparam("limit")).offset(bindparam("offset")))
    if not everyone:
        stmt = stmt.where(_addressed_to_department(bindparam("department")))
    if category:
        stmt = stmt.where(_N.c.category == bindparam("category"))
    if search:
        pattern = bindparam("pattern")
        stmt = stmt.where(or_(_N.c.title.like(pattern, escape="\\"), _N.c.body.like(pattern, escape="\\")))
    return stmt


# (everyone, by category, searched) -> the board's statement, built once with parameters.
_BOARD = {key: _board_statement(*key) for key in product((False, True), repeat=3)}


def board(user, category: str = "", q: str = "", page: int = 1):
    """Return the person's live notices, pinned and newest first, each with their read receipt (columns)."""
    q = q.strip()
    stmt = _BOARD[(user.has_role(Role.ADMIN), bool(category), bool(q))]
    params = {"hall": user.hall_id, "user": user.id, "department": user.department_id, "now": clock.now(),
              "limit": PAGE_SIZE + 1, "offset": (max(page, 1) - 1) * PAGE_SIZE, "category": category,
              "pattern": _like(q)}
    rows = [(BoardNotice(*r[:8]), r[8], r[9]) for r in db.session.execute(stmt, params)]
    return rows[:PAGE_SIZE], len(rows) > PAGE_SIZE


def _unread_must_read(hall_id, department_id, user_id, moment, *columns):
    """The live must-read notices a person has not acknowledged yet, newest first (values or bind parameters)."""
    acked = exists().where(NoticeRead.notice_id == Notice.id, NoticeRead.user_id == user_id,
                           NoticeRead.ack_round == Notice.ack_round, NoticeRead.acknowledged_at.is_not(None))
    return (select(*columns).where(_on_board(hall_id), Notice.must_read.is_(True), _live(moment),
                                   _addressed_to_department(department_id), ~acked)
            .order_by(Notice.publish_at.desc()))


# The desk's banner asks on every opening: its statement is built once, with parameters.
_UNREAD_HEADS = _unread_must_read(bindparam("hall_id"), bindparam("department_id"), bindparam("user_id"),
                                  bindparam("now"), Notice.id, Notice.title).limit(bindparam("limit"))


def _reads_no_notices(user) -> bool:
    return user.roles == {Role.AUDITOR}  # the audit administrator reads no notices (三权分立)


def unread_must_read(user, limit: int = 10) -> list[Notice]:
    """Return the live must-read notices the person has not acknowledged yet, newest first."""
    if _reads_no_notices(user):
        return []
    stmt = _unread_must_read(user.hall_id, user.department_id, user.id, clock.now(), Notice).limit(limit)
    return db.session.execute(stmt).scalars().all()


def unread_must_read_heads(user, limit: int = 10) -> list:
    """Return the id and title of unread_must_read's notices (all a banner shows), read as columns."""
    if _reads_no_notices(user):
        return []
    params = {"hall_id": user.hall_id, "department_id": user.department_id, "user_id": user.id,
              "now": clock.now(), "limit": limit}
    return db.session.execute(_UNREAD_HEADS, params).all()


@dataclass(frozen=True)
class MustRead:
    """The live must-read notices of a board, to whom each is addressed, and which of them who acknowledged."""

    notices: list  # (id, title, publish_at, audience), newest first
    chosen: dict  # notice id -> the departments it is addressed to
    acked: set  # (notice id, user id) acknowledged in the notice's current round


def must_read_of(hall_id: int, user_ids: tuple, moment) -> MustRead:
    """Read what unread_must_read asks, for many people of a hall at once (three queries)."""
    notices = db.session.execute(
        select(Notice.id, Notice.title, Notice.publish_at, Notice.audience)
        .where(_on_board(hall_id), Notice.must_read.is_(True), _live(moment))
        .order_by(Notice.publish_at.desc())).all()
    ids = [n.id for n in notices]
    chosen: dict = {}
    if not ids:
        return MustRead(notices, chosen, set())
    for notice_id, dept_id in db.session.execute(select(NoticeDepartment.notice_id, NoticeDepartment.department_id)
                                                 .where(NoticeDepartment.notice_id.in_(ids))):
        chosen.setdefault(notice_id, set()).add(dept_id)
    acked = set(db.session.execute(
        select(NoticeRead.notice_id, NoticeRead.user_id).join(Notice, Notice.id == NoticeRead.notice_id)
        .where(NoticeRead.notice_id.in_(ids), NoticeRead.user_id.in_(user_ids),
               NoticeRead.ack_round == Notice.ack_round, NoticeRead.acknowledged_at.is_not(None))).all())
    return MustRead(notices, chosen, acked)


def unread_of(user, read: MustRead, limit: int = 10) -> list:
    """Return what unread_must_read returns for the person, picked from must_read_of's rows."""
    if _reads_no_notices(user):
        return []
    return [n for n in read.notices if (n.audience in TO_EVERYONE or user.department_id in read.chosen.get(n.id, ()))
            and (n.id, user.id) not in read.acked][:limit]


def managed(user, state: str = ""):
    """Return the notices this person manages (an admin: all of the hall), newest first."""
    stmt = (select(Notice).where(Notice.hall_id == user.hall_id).options(joinedload(Notice.author))
            .order_by(Notice.id.desc()).limit(200))
    if not user.has_role(Role.ADMIN):
        stmt = stmt.where(Notice.author_id == user.id)
    if state:
        stmt = stmt.where(Notice.state == state)
    return db.session.execute(stmt).scalars().all()


@dataclass
class DepartmentReceipts:
    """Who in one department has and has not acknowledged a must-read notice."""

    name: str
    done: list = field(default_factory=list)
    pending: list = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.done) + len(self.pending)


def receipts(notice: Notice) -> list[DepartmentReceipts]:
    """Return, per department of the audience, the names of those who have and have not acknowledged."""
    county = notice.audience == COUNTY
    halls = hallscope.hall_ids_under(notice.hall_id) if county else [notice.hall_id]
    people = select(User).where(User.hall_id.in_(halls), User.active.is_(True)).options(
        joinedload(User.department), joinedload(User.hall)).order_by(User.hall_id, User.department_id, User.name)
    if notice.audience == "departments":
        people = people.where(User.department_id.in_(notice.department_ids))
    acked = {r.user_id: r.acknowledged_at for r in db.session.execute(
        select(NoticeRead).where(NoticeRead.notice_id == notice.id, NoticeRead.ack_round == notice.ack_round,
                                 NoticeRead.acknowledged_at.is_not(None))).scalars()}
    groups: dict[str, DepartmentReceipts] = {}
    for person in db.session.execute(people).unique().scalars():
        if _reads_no_notices(person):
            continue
        name = person.department.name if person.department else "未分配部门"
        name = person.hall.name if county else name  # a county notice is counted per station
        group = groups.setdefault(name, DepartmentReceipts(name))
        (group.done if person.id in acked else group.pending).append(person.name)
    return sorted(groups.values(), key=lambda g: (-len(g.pending), g.name))


def public_now(hall_id: int) -> tuple[list[Notice], list[Notice]]:
    """Return the live public notices of the hall for its screens: (emergencies, the rotation)."""
    stmt = (select(Notice).where(Notice.hall_id == hall_id, Notice.audience == "public", _live(clock.now()))
            .order_by(Notice.pinned.desc(), Notice.publish_at.desc(), Notice.id.desc()).limit(50))
    rows = db.session.execute(stmt).scalars().all()
    return [n for n in rows if n.emergency], [n for n in rows if not n.emergency]


def stamp_of(hall_id: int) -> BoardStamp | None:
    """Return the hall's board stamp (None before the first notice)."""
    return db.session.execute(select(BoardStamp).where(BoardStamp.hall_id == hall_id)).scalar()


def departments_of(hall_id: int) -> list[Department]:
    """Return the hall's active departments, for choosing an audience."""
    return db.session.execute(select(Department).where(Department.hall_id == hall_id, Department.active.is_(True))
                              .order_by(Department.kind.desc(), Department.sort_order, Department.id)).scalars().all()


def unread_count(user) -> int:
    """Return how many live notices addressed to the person they have not opened."""
    opened = exists().where(NoticeRead.notice_id == Notice.id, NoticeRead.user_id == user.id,
                            NoticeRead.ack_round == Notice.ack_round)
    return db.session.execute(select(func.count(Notice.id)).where(
        _on_board(user.hall_id), _live(clock.now()), _addressed_to(user), ~opened)).scalar_one()


def document_posted(hall_id: int, title: str) -> bool:
    """Say whether a document with this title has been published on the hall's board (for other sources)."""
    return db.session.execute(select(exists().where(
        Notice.hall_id == hall_id, Notice.title == title, Notice.state == PUBLISHED))).scalar()
