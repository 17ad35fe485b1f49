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


class Snapshot:
    """A named per-worker copy: load() -> dict, reloaded when a commit touches one of the models."""

    def __init__(self, name: str, load: Callable[[], dict], models: tuple):
        self.name, self.load, self.models = name, load, models

    def _path(self) -> Path:
        return Path(current_app.config["INSTANCE_DIR"]) / f"{self.name}-generation"

    def _generation(self) -> str:
        try:
            return self._path().read_text(encoding="ascii")
        except OSError:
            return ""

    def bump(self) -> None:
        """Tell every worker that the watched records changed."""
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
        generation = self._generation()
        if cache is None or cache["generation"] != generation or time.monotonic() - cache["at"] > MAX_AGE_S:
            cache = {"generation": generation, "at": time.monotonic(), "rows": self.load()}
            current_app.extensions[key] = cache
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


def fresh(response, etag: str):
    """Tag a device's answer: always ask again (a revoked token must stop it), but send nothing when unchanged."""
    response.headers["ETag"] = etag
    response.headers["Cache-Control"] = "no-cache, no-store"
    return response
