"""The screens' poll answer without the database: a per-worker copy of every active screen's state.

A hundred screens polling every few seconds must cost almost nothing when nothing changed. Each
worker keeps the active screens and their halls' board stamps in memory. The generation of that
state lives in the database, where every app server sees it: the sum of the board versions and the
screens' count and last change. A worker asks for it at most once every DISPLAY_SIGNAL_SECONDS (one
tiny query, whatever the number of screens) and reloads its copy with one query when it moved, or
when the copy is older than MAX_AGE_S; a commit in this worker drops its own copy at once.
"""
import time

from flask import current_app, has_app_context
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from ..extensions import db
from ..notices.models import BoardStamp
from .models import DisplayScreen

MAX_AGE_S = 30  # a safety net: even a lost generation write is caught up within this time


def _active():
    return (select(DisplayScreen.token, DisplayScreen.id, DisplayScreen.hall_id, DisplayScreen.rotate_seconds,
                   DisplayScreen.poll_seconds, BoardStamp.version, BoardStamp.moments, DisplayScreen.updated_at)
            .outerjoin(BoardStamp, BoardStamp.hall_id == DisplayScreen.hall_id)
            .where(DisplayScreen.revoked_at.is_(None)))


def _generation() -> tuple:
    """Return the generation of the active screens' state as the database has it (one small query)."""
    rows = _active().subquery()
    count, version, changed = db.session.execute(select(
        func.count(rows.c.id), func.coalesce(func.sum(rows.c.version), 0), func.max(rows.c.updated_at))).one()
    return count, int(version), changed


def bump() -> None:
    """Drop this worker's copy after its own change (the others see the database's generation move)."""
    current_app.extensions.pop("display_snapshot", None)


def _load() -> tuple[tuple, dict]:
    rows = db.session.execute(_active()).all()
    generation = (len(rows), sum(r[5] or 0 for r in rows), max((r[7] for r in rows), default=None))
    return generation, {r[0]: (r[1], r[2], r[3], r[4], r[5] or 0, r[6] or "") for r in rows}


def screens() -> dict:
    """Return {token: (screen id, hall id, rotate s, poll s, board version, moments)} of active screens."""
    cache, now = current_app.extensions.get("display_snapshot"), time.monotonic()
    if cache is not None and now - cache["checked"] < current_app.config.get("DISPLAY_SIGNAL_SECONDS", 2):
        return cache["screens"]
    if cache is None or now - cache["at"] > MAX_AGE_S or _generation() != cache["generation"]:
        generation, loaded = _load()
        cache = {"generation": generation, "at": now, "screens": loaded}
        current_app.extensions["display_snapshot"] = cache
    cache["checked"] = now
    return cache["screens"]


def listen() -> None:
    """Attach the change signal to every session (once per process, however many apps are made)."""
    for name, listener in (("after_flush", _note_changes), ("after_commit", _announce),
                           ("after_rollback", _forget)):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)


def _note_changes(session, _ctx):
    touched = (*session.new, *session.dirty, *session.deleted)
    if any(isinstance(o, (DisplayScreen, BoardStamp)) for o in touched):
        session.info["display_changed"] = True


def _announce(session):
    if session.info.pop("display_changed", False) and has_app_context():
        bump()


def _forget(session):
    session.info.pop("display_changed", None)
