"""The screens' poll answer without the database: a per-worker copy of every active screen's state.

A hundred screens polling every few seconds must cost almost nothing when nothing changed. Each
worker keeps the active screens and their halls' board stamps in memory; any commit that touches
a screen or a board stamp writes a new generation into a small file in the instance folder, and a
worker whose copy is of an older generation (or older than MAX_AGE_S) reloads it with one query.
"""
import secrets
import time
from pathlib import Path

from flask import current_app, has_app_context
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from ..extensions import db
from ..notices.models import BoardStamp
from .models import DisplayScreen

MAX_AGE_S = 30  # a safety net: even a lost generation write is caught up within this time
FILE_NAME = "display-generation"


def _path() -> Path:
    return Path(current_app.config["INSTANCE_DIR"]) / FILE_NAME


def _generation() -> str:
    try:
        return _path().read_text(encoding="ascii")
    except OSError:
        return ""


def bump() -> None:
    """Tell every worker that screens or board stamps changed."""
    path = _path()
    temporary = path.with_suffix(f".{secrets.token_hex(4)}")
    try:
        temporary.write_text(secrets.token_hex(8), encoding="ascii")
        temporary.replace(path)
    except OSError:
        current_app.logger.warning("could not write %s; screens catch up within %s s", path, MAX_AGE_S)


def _load() -> dict:
    rows = db.session.execute(
        select(DisplayScreen.token, DisplayScreen.id, DisplayScreen.hall_id, DisplayScreen.rotate_seconds,
               DisplayScreen.poll_seconds, BoardStamp.version, BoardStamp.moments)
        .outerjoin(BoardStamp, BoardStamp.hall_id == DisplayScreen.hall_id)
        .where(DisplayScreen.revoked_at.is_(None))).all()
    return {r[0]: (r[1], r[2], r[3], r[4], r[5] or 0, r[6] or "") for r in rows}


def screens() -> dict:
    """Return {token: (screen id, hall id, rotate s, poll s, board version, moments)} of active screens."""
    cache = current_app.extensions.get("display_snapshot")
    generation = _generation()
    if cache is None or cache["generation"] != generation or time.monotonic() - cache["at"] > MAX_AGE_S:
        cache = {"generation": generation, "at": time.monotonic(), "screens": _load()}
        current_app.extensions["display_snapshot"] = cache
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
