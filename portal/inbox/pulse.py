"""The inbox version (待办版本): moved on by every write a source watches, read by the top bar's poll.

A session listener notes, at each flush, the halls whose watched rows changed; the hall's pulse row
is moved on once per transaction (one upsert), so the poll can tell "nothing changed" from one query.
Changes with no hall of their own (the rulebook, the calendar, a role) move every hall's pulse on.
"""
from flask import g, has_request_context
from sqlalchemy import bindparam, event, inspect, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from ..extensions import db
from . import registry
from .models import InboxPulse

ALL_HALLS = "all"
# Tables shared by every hall (the rulebook, the calendar): a change moves every hall's version on.
SHARED_TABLES = {"rule_setting", "rule_overridable", "calendar_day"}
# Columns whose change no source reads: signing in must not make every inbox of the hall ask again.
QUIET_COLUMNS = {"user": {"failed_logins", "locked_until", "password_hash", "password_changed_at",
                          "must_change_password", "calendar_token", "updated_at"}}


def version(hall_id: int) -> int:
    """Return the hall's inbox version (one small query)."""
    return db.session.execute(select(InboxPulse.version).where(InboxPulse.hall_id == hall_id)).scalar() or 0


def version_column(hall_id_column):
    """Return the hall's inbox version as a subquery, for the poll's one query (polls.py)."""
    return select(InboxPulse.version).where(InboxPulse.hall_id == hall_id_column).scalar_subquery()


def init_app(_app) -> None:
    """Attach the listeners that move the pulse on (once, however many apps are built)."""
    if not event.contains(Session, "after_flush", _note_changes):
        event.listen(Session, "after_flush", _note_changes)
        event.listen(Session, "after_flush_postexec", _bump_noted)
        event.listen(Session, "after_commit", _forget)
        event.listen(Session, "after_soft_rollback", lambda session, _previous: _forget(session))


def _halls_of(obj) -> tuple:
    if obj.__tablename__ in SHARED_TABLES:
        return (ALL_HALLS,)
    hall_id = getattr(obj, "hall_id", None)
    if hall_id is not None:
        return (hall_id,)
    user = g.get("_login_user") if has_request_context() else None
    acting = getattr(user, "hall_id", None)
    # A row with no hall of its own (a case's step): the acting person's hall, as ever, and the hall of the
    # row it belongs to when that is in hand; every hall only when neither is known (a tap at the evaluator).
    parent = getattr(inspect(obj).dict.get(getattr(obj, "__pulse_parent__", "")), "hall_id", None)
    found = tuple(h for h in (acting, parent) if h is not None)
    return found or (ALL_HALLS,)


def _note_changes(session, _ctx) -> None:
    watched = registry.watched_tables()
    halls = session.info.setdefault("inbox_halls", set())
    for obj in (*session.new, *session.deleted):
        if getattr(obj, "__tablename__", None) in watched:
            halls.update(_halls_of(obj))
    for obj in session.dirty:
        table = getattr(obj, "__tablename__", None)
        if table in watched and _changed(obj) - QUIET_COLUMNS.get(table, set()):
            halls.update(_halls_of(obj))


def _changed(obj) -> set:
    state = inspect(obj)
    return {a.key for a in state.mapper.column_attrs if state.attrs[a.key].history.has_changes()}


def _bump_noted(session, _ctx) -> None:
    done = session.info.setdefault("inbox_bumped", set())
    todo = session.info.pop("inbox_halls", set()) - done
    if not todo:
        return
    connection = session.connection()
    if ALL_HALLS in todo:
        from ..org.models import Hall
        todo = set(connection.execute(select(Hall.id)).scalars()) - done | {ALL_HALLS}
    for hall_id in todo - {ALL_HALLS}:
        _bump(connection, hall_id)
    done.update(todo)


def _bump_statement(insert):
    pulse = InboxPulse.__table__
    return insert(pulse).values(hall_id=bindparam("hall"), version=1).on_conflict_do_update(
        index_elements=[pulse.c.hall_id], set_={"version": pulse.c.version + 1})


_BUMP = {"postgresql": _bump_statement(pg_insert), "sqlite": _bump_statement(sqlite_insert)}  # built once


def _bump(connection, hall_id: int) -> None:
    connection.execute(_BUMP[connection.dialect.name], {"hall": hall_id})


def bump_now(connection, halls, session=None) -> None:
    """Move these halls' inbox versions on now, for rows written without the ORM (the listeners do not see them).

    connection: the transaction's (the session's, or one outside it); with the session, its flush does not
    move them a second time.
    """
    for hall_id in sorted(set(halls)):
        _bump(connection, hall_id)
    if session is not None:
        session.info.setdefault("inbox_bumped", set()).update(halls)


def note_written(session, halls_by_table: dict) -> None:
    """Move the inbox versions on for rows inserted without the ORM, as the flush listeners would for its rows.

    halls_by_table: each table written and the halls of its rows (ALL_HALLS for a row of no known hall); the
    tables no source watches are left out, and a hall already moved on in this transaction is not moved twice.
    """
    watched = registry.watched_tables()
    noted = session.info.setdefault("inbox_halls", set())
    for table, halls in halls_by_table.items():
        if table in watched:
            noted.update(halls)
    _bump_noted(session, None)


def acting_hall():
    """Return the hall of the person acting in this request (None: nobody signed in, or no request)."""
    user = g.get("_login_user") if has_request_context() else None
    return getattr(user, "hall_id", None)


def _forget(session) -> None:
    session.info.pop("inbox_halls", None)
    session.info.pop("inbox_bumped", None)


def bump_all() -> None:
    """Move every hall's inbox version on (after a change no listener sees)."""
    db.session.execute(update(InboxPulse).values(version=InboxPulse.version + 1))
