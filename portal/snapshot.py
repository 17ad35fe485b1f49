"""Per-worker copies of what public devices poll (hall screens, evaluators), kept fresh without the database.

A hundred devices polling every few seconds must cost almost nothing when nothing changed. Each
worker keeps a small table in memory; any commit that touches one of the watched models writes a
new generation into a small file in the instance folder, and a worker whose copy is of an older
generation (or older than MAX_AGE_S) reloads it with its one query.
"""
import secrets
import time
from collections.abc import Callable
from pathlib import Path

from flask import current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

MAX_AGE_S = 30  # a safety net: even a lost generation write is caught up within this time
TOKEN_LENGTHS = (12, 64)  # a device token outside these lengths is never looked up


class Snapshot:
    """A named per-worker copy: load() -> dict, reloaded when a commit touches one of the models."""

    def __init__(self, name: str, load: Callable[[], dict], models: tuple, signal: Callable | None = None):
        # signal: a small query whose answer moves with the watched records, read at most once per
        # DISPLAY_SIGNAL_SECONDS: then every app server, not only this machine, sees a change.
        self.name, self.load, self.models, self.signal = name, load, models, signal

    def _path(self) -> Path:
        return Path(current_app.config["INSTANCE_DIR"]) / f"{self.name}-generation"

    def _generation(self) -> str:
        try:
            return self._path().read_text(encoding="ascii")
        except OSError:
            return ""

    def bump(self) -> None:
        """Tell every worker that the watched records changed."""
        if self.signal is not None:  # the others read the signal from the database
            current_app.extensions.pop(f"{self.name}_snapshot", None)
            return
        path = self._path()
        temporary = path.with_suffix(f".{secrets.token_hex(4)}")
        try:
            temporary.write_text(secrets.token_hex(8), encoding="ascii")
            temporary.replace(path)
        except OSError:
            current_app.logger.warning("could not write %s; devices catch up within %s s", path, MAX_AGE_S)

    def get(self) -> dict:
        """Return this worker's copy, reloaded if another commit moved the generation or it is too old."""
        key = f"{self.name}_snapshot"
        cache = current_app.extensions.get(key)
        if self.signal is not None:
            return self._signalled(key, cache)
        generation = self._generation()
        if cache is None or cache["generation"] != generation or time.monotonic() - cache["at"] > MAX_AGE_S:
            cache = {"generation": generation, "at": time.monotonic(), "rows": self.load()}
            current_app.extensions[key] = cache
        return cache["rows"]

    def _signalled(self, key: str, cache: dict | None) -> dict:
        now = time.monotonic()
        if cache is not None and now - cache["checked"] < current_app.config.get("DISPLAY_SIGNAL_SECONDS", 2):
            return cache["rows"]
        generation = self.signal()
        if cache is None or cache["generation"] != generation or now - cache["at"] > MAX_AGE_S:
            cache = {"generation": generation, "at": now, "rows": self.load()}
            current_app.extensions[key] = cache
        cache["checked"] = now
        return cache["rows"]

    def listen(self) -> None:
        """Attach the change signal to every session (once per process, however many apps are made)."""
        for name, listener in (("after_flush", self._note_changes), ("after_commit", self._announce),
                               ("after_rollback", self._forget)):
            if not event.contains(Session, name, listener):
                event.listen(Session, name, listener)

    def _note_changes(self, session, _ctx):
        touched = (*session.new, *session.dirty, *session.deleted)
        if any(isinstance(o, self.models) for o in touched):
            session.info[f"{self.name}_changed"] = True

    def _announce(self, session):
        if session.info.pop(f"{self.name}_changed", False) and has_app_context():
            self.bump()

    def _forget(self, session):
        session.info.pop(f"{self.name}_changed", None)


def new_token() -> str:
    """Return a new secret token for a public device's address (a hall screen, an evaluator)."""
    return secrets.token_urlsafe(24)


def paired(snapshot: Snapshot, token: str, state: Callable):
    """Return state(*row) of the active device paired by this token in the snapshot, or None (wrong or revoked)."""
    if not TOKEN_LENGTHS[0] <= len(token) <= TOKEN_LENGTHS[1]:
        return None
    found = snapshot.get().get(token)
    return state(*found) if found else None


def fresh(response, etag: str):
    """Tag a device's answer: always ask again (a revoked token must stop it), but send nothing when unchanged."""
    response.headers["ETag"] = etag
    response.headers["Cache-Control"] = "no-cache, no-store"
    return response
