"""One visit, one rating (一次一评): the clerk invites, the evaluator at the window rates."""
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache

from sqlalchemy import bindparam, case, literal, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import aliased

from .. import clock
from ..audit import service as audit
from ..database import insert, is_postgres, reads_alone
from ..extensions import db
from ..org.models import Window
from ..rawquery import DriverConnection, DriverStatement
from ..rulebook import service as rules
from . import cases, service, tags
from .evaluator import EvaluatorError, PollState
from .models import BAD_LEVELS, LEVELS, Evaluator, Invitation, Rating, TagSet, TapCount

PHONE = re.compile(r"1\d{10}|0\d{2,3}-?\d{7,8}")
TEXT_MAX, NAME_MAX = 200, 20
RATED = "这次服务已经评价过了，感谢您的参与"


def clerk_window(user) -> Window | None:
    """Return the window the person serves at, if they have one in this hall."""
    window = db.session.get(Window, user.window_id) if user.window_id else None
    return window if window is not None and window.hall_id == user.hall_id and window.active else None


def invite(user) -> Invitation:
    """Invite a rating of the visit the clerk just served; an earlier unrated one stays unrated."""
    window = clerk_window(user)
    if window is None:
        raise EvaluatorError("您还没有分配窗口，不能邀请评价", 409)
    now = clock.now()
    invitation = Invitation(hall_id=user.hall_id, window_id=window.id, department_id=window.department_id,
                            staff_id=user.id, invited_at=now, day=clock.local(now).date(),
                            expires_at=now + timedelta(seconds=rules.get("evaluation.invitation_seconds")))
    db.session.add(invitation)
    db.session.flush()
    return invitation


def recent(window_id: int, limit: int = 10) -> list[tuple[Invitation, Rating | None]]:
    """Return the window's latest invitations with their ratings, newest first."""
    rows = db.session.execute(select(Invitation, Rating).outerjoin(Rating, Rating.invitation_id == Invitation.id)
                              .where(Invitation.window_id == window_id)
                              .order_by(Invitation.id.desc()).limit(limit)).all()
    return [(i, r) for i, r in rows]


@dataclass
class Answer:
    """What a rater gave on the evaluator."""

    level: str
    tags: list[str] = field(default_factory=list)
    text: str = ""
    name: str = ""
    phone: str = ""


@cache
def _count_tap(_postgres: bool):
    """Build the one statement that counts a tap in the device's minute and returns the minute's taps."""
    minute = bindparam("tap_minute")
    count = TapCount.__table__.c  # on the table: a plain statement, no ORM objects behind it
    return (insert(TapCount.__table__).values(evaluator_id=bindparam("device"), minute=minute, taps=1)
            .on_conflict_do_update(index_elements=[count.evaluator_id], set_={
                "minute": minute, "taps": case((count.minute == minute, count.taps + 1), else_=1)})
            .returning(count.taps))


def tap_limit() -> int:
    """Return the taps a device may make in a minute: from the worker's copy (a limit, not a record)."""
    return rules.get("evaluation.taps_per_minute", recorded=False)


def count_tap(device_id: int, rating: dict | None = None, connection=None, limit: int | None = None) -> int | None:
    """Count a tap of the device in its minute, for every app server; refuse it past the rulebook's limit.

    The count is part of the tap's transaction: the caller commits it whatever the tap's fate (a refused
    tap saves nothing else), so a flood of bad taps is counted as much as good ones. A rating's column
    values (rating_values) are saved too, within the limit: on PostgreSQL in the count's own statement.
    Return the new rating's id (None: no rating given, or another tap rated the visit a moment ago).
    connection: the transaction's (the session's by default, or a DriverConnection); limit: tap_limit(), when
    read before (a DriverConnection's caller reads it before taking the connection).
    """
    # Read first (SQLite's write lock is not held for it).
    limit = tap_limit() if limit is None else limit
    params = {"device": device_id, "tap_minute": int(clock.now().timestamp()) // 60}
    connection, postgres = connection or db.session.connection(), is_postgres()
    if rating is not None and postgres:
        taps, rating_id = connection.execute(_count_and_insert(tuple(rating)),
                                             {**params, **rating, "tap_limit": limit}).one()
    else:
        taps, rating_id = connection.execute(_count_tap(postgres), params).scalar_one(), None
    if taps > limit:
        raise EvaluatorError("操作过于频繁，请稍后再试", 429)
    if rating is not None and not postgres:
        rating_id = connection.execute(_insert_once(False), rating).scalar()
    return rating_id


@cache
def _count_and_insert(keys: tuple[str, ...]):
    """PostgreSQL: count the tap and, if within the limit, insert the rating once, in one statement."""
    tap = _count_tap(True).cte("tap")
    table = Rating.__table__
    given = [table.c[k] for k in keys]
    # The columns' own defaults for the others, as the plain INSERT of the same values has them.
    defaults = [c for c in table.c if c.key not in keys and c.default is not None and c.default.is_scalar]
    row = (select(*[bindparam(c.key, type_=c.type) for c in given], *[literal(c.default.arg, c.type) for c in defaults])
           .where(tap.c.taps <= bindparam("tap_limit")))
    columns = given + defaults
    saved = (pg_insert(table).from_select(columns, row).on_conflict_do_nothing(index_elements=[table.c.invitation_id])
             .returning(table.c.id).cte("saved"))
    return select(tap.c.taps, select(saved.c.id).scalar_subquery())


def level_of(raw: str) -> int:
    """Return the level a tap names, refusing anything but the five levels."""
    if not (raw or "").isdigit() or int(raw) not in LEVELS:
        raise EvaluatorError("评价等级无效，请重新选择", 422)
    return int(raw)


@dataclass(frozen=True)
class Visit:
    """What one read tells a tap: the active device by its token, and the visit (invitation) it names."""

    device_id: int
    hall_id: int
    window_id: int
    poll_seconds: int
    invitation_id: int | None  # None: no such invitation
    invitation_window_id: int | None
    department_id: int | None
    staff_id: int | None
    expires_at: datetime | None
    day: date | None
    superseded: bool  # a newer invitation at the device's window
    rated: bool
    tag_set_id: int | None = None  # the hall's tags in force, read for a bad level only
    tags: str | None = None

    def etag(self) -> str:
        """Return the ETag the device's poll answers while this visit waits for its rating."""
        return PollState(self.device_id, self.hall_id, self.window_id, self.poll_seconds, self.invitation_id or 0,
                         int(self.expires_at.timestamp()) if self.expires_at else 0, self.rated).etag()


@cache
def _visit_query(bad: bool):
    newer = aliased(Invitation)
    columns = [Evaluator.id, Evaluator.hall_id, Evaluator.window_id, Evaluator.poll_seconds, Invitation.id,
               Invitation.window_id, Invitation.department_id, Invitation.staff_id, Invitation.expires_at,
               Invitation.day, select(newer.id).where(newer.window_id == Evaluator.window_id,
                                                      newer.id > Invitation.id).exists(),
               select(Rating.id).where(Rating.invitation_id == Invitation.id).exists()]
    if bad:
        columns += [_latest_tags(TagSet.id), _latest_tags(TagSet.tags)]
    return (select(*columns).outerjoin(Invitation, Invitation.id == bindparam("invitation"))
            .where(Evaluator.token == bindparam("token"), Evaluator.revoked_at.is_(None)))


def _latest_tags(column):
    return (select(column).where(TagSet.hall_id == Evaluator.hall_id).order_by(TagSet.version.desc()).limit(1)
            .scalar_subquery())


def visit(token: str, invitation, bad: bool) -> Visit | None:
    """Read the active device by its token and the visit it names in one statement; None: no active device."""
    # Straight on the transaction's connection: plain columns and statements, no ORM objects to load.
    row = db.session.connection().execute(_visit_query(bad), {"token": token, "invitation": _invitation_id(invitation)}
                                          ).first()
    return Visit(*row) if row is not None else None


def _invitation_id(invitation) -> int:
    wanted = int(invitation) if str(invitation).isascii() and str(invitation).isdigit() else -1
    return wanted if wanted < 2 ** 63 else -1  # no id is that large (nor negative)


def check(visit: Visit) -> None:
    """Refuse a visit the device may not rate now: another window's, rated, expired or superseded."""
    if visit.invitation_id is None or visit.invitation_window_id != visit.window_id:
        raise EvaluatorError("本次评价邀请无效", 409)
    if visit.rated:
        raise EvaluatorError(RATED, 409)
    if visit.superseded or visit.expires_at <= clock.now():
        raise EvaluatorError("本次评价邀请已过期，请向窗口工作人员重新申请评价", 409)


def rating_values(visit: Visit, level: int, answer: Answer) -> dict:
    """Check the visit and the rater's answer; return the rating's column values for count_tap (nothing saved)."""
    check(visit)
    bad = level in BAD_LEVELS
    chosen = _tags(answer.tags, tags.in_force(visit.tags)) if bad else []
    text, name, phone = (answer.text or "").strip(), (answer.name or "").strip(), (answer.phone or "").strip()
    if len(text) > TEXT_MAX or len(name) > NAME_MAX:
        raise EvaluatorError(f"意见不超过 {TEXT_MAX} 个字，姓名不超过 {NAME_MAX} 个字", 422)
    if phone and not PHONE.fullmatch(phone):
        raise EvaluatorError("请填写正确的手机号或座机号，或留空", 422)
    return dict(hall_id=visit.hall_id, invitation_id=visit.invitation_id, channel="window",
                window_id=visit.invitation_window_id, department_id=visit.department_id,
                staff_id=visit.staff_id, level=level, tags="\n".join(chosen),
                tag_set_id=visit.tag_set_id if bad else None, text=text if bad else "", rater_name=name,
                rater_phone=phone, rated_at=clock.now(), day=visit.day)


def rated(visit: Visit, values: dict, rating_id: int | None, due_at: datetime | None = None,
          audit_row: audit.Prepared | None = None) -> int:
    """Audit the rating count_tap saved for the visit; a bad one opens its case (due_at: read before). Return its id.

    audit_row: the rating's audit row as audit_row() built it before the tap's writes began.
    No id: a second tap of the same visit at the same moment saved nothing, and is refused.
    """
    if rating_id is None:
        raise EvaluatorError(RATED, 409)
    (audit_row or audit_row_of(values)).record(rating_id)
    service.add_rating(db.session, values["hall_id"], values["day"], values["level"])
    if values["level"] in BAD_LEVELS:
        cases.open_case(Saved(rating_id, visit.hall_id, visit.department_id), due_at)
    return rating_id


def rate_on_driver(token: str, invitation, level: int, answer: Answer) -> bool | None:
    """Save a tap that gives a rating on a connection of its own, straight on the driver (outside the session).

    The same statements as the session's way (rated()), in the same order. First the reads: the visit on a
    connection let go at once, then in the device's hall the flood limit and for a bad level the case's
    deadline (the rulebook and calendar: their worker's copies, or the session, which then lets its
    connection go). Then a DriverConnection runs the writes: the count
    and the rating, a bad one's case and its first step (cases.open_case_on), their audit rows chained and
    inserted, the month's row added to, one commit. A request never holds two of the pool's connections (with
    threaded workers, taps waiting for a second one could take the whole pool), and the audit rows' words
    are made before the first write, so SQLite's write lock is held for the statements alone.
    Return True when saved, False when no active device has the token (nothing saved); None when the month
    has no row yet (nothing saved: the caller saves the tap the session's way, whose commit recounts the
    month). A refusal (EvaluatorError) commits the tap's count first.
    """
    bad = level in BAD_LEVELS
    found = _visit_on_driver(token, invitation, bad)
    if found is None:
        return False
    # What else is read (the rulebook and calendar, when not in the worker's copies) on the session, which
    # then gives its connection back before the driver's is taken for the writes.
    with reads_alone():
        with rules.in_hall(found.hall_id):
            try:
                values = rating_values(found, level, answer)
            except EvaluatorError:
                try:
                    count_tap(found.device_id)  # counted whatever its fate
                finally:
                    db.session.commit()
                raise
            due_at = cases.term_due("verify") if bad else None  # before the first write, as rated()'s caller reads it
            limit = tap_limit()
        audit_row = audit_row_of(values)
    connection = DriverConnection(db.engine)
    try:
        rating_id = count_tap(found.device_id, values, connection, limit)
        if rating_id is None:
            raise EvaluatorError(RATED, 409)
        rows = [audit_row.row(rating_id)]
        if bad:
            rows += cases.open_case_on(connection, Saved(rating_id, found.hall_id, found.department_id), due_at)
        audit.write_on(connection, rows)
        if not service.add_rating_on(connection, values["hall_id"], values["day"], level):
            connection.rollback()
            return None
        connection.commit()
        return True
    except EvaluatorError:
        connection.commit()  # the count, whatever the tap's fate
        raise
    except BaseException:
        connection.rollback()  # with its events: a change signal moved by the write is moved again
        raise
    finally:
        connection.close()


@cache
def _insert_once(_postgres: bool):
    row = Rating.__table__.c
    return insert(Rating.__table__).on_conflict_do_nothing(index_elements=[row.invitation_id]).returning(row.id)


def _visit_on_driver(token: str, invitation, bad: bool) -> Visit | None:
    """visit(), read on a pooled connection let go at once (the session's machinery costs more than the read)."""
    connection = DriverConnection(db.engine)
    try:
        row = connection.first_of(_visit_statement(bad), token=token, invitation=_invitation_id(invitation))
    finally:
        connection.close()
    return Visit(*row) if row is not None else None


@cache
def _visit_statement(bad: bool) -> DriverStatement:
    return DriverStatement(_visit_query(bad))


def audit_row_of(values: dict) -> audit.Prepared:
    """Build the new rating's audit row (its id comes with the insert); the rating is counted in the month's row
    by rated(), as the session's listeners do for an ORM insert. Built before the tap's writes, so that SQLite's
    write lock is not held while its detail is put into words."""
    hidden = Rating.__audit_hidden__
    return audit.Prepared("rating.create", "rating", detail={"changes": {
        k: ["***", "***"] if k in hidden else [None, v] for k, v in values.items()}})


@dataclass(frozen=True)
class Saved:
    """A rating just saved, as its case needs it."""

    id: int
    hall_id: int
    department_id: int


def _tags(chosen: list[str], allowed: list[str]) -> list[str]:
    chosen = [t for t in dict.fromkeys(chosen or []) if t]
    if any(t not in allowed for t in chosen):
        raise EvaluatorError("所选评价指标无效，请重新选择", 422)
    return chosen
