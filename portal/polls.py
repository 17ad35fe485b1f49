"""Unchanged polls: a 304 from one query, before any page machinery, when nothing has changed.

A polling element sends X-HallDesk-Poll and the ETag of what it shows. For an endpoint registered
here, one query reads the session, the person, their roles and the version of what the element
shows; if the session is sound and the tag still matches, the answer is 304 at once. Anything else
(no session, one to end, a password to change, a role missing, a changed version) falls through to
the ordinary view, which answers it in full: this path only ever says "nothing changed".

The row is kept in the worker until one of its tables changes (signals.py: on PostgreSQL every app
server hears of every change at its commit; on SQLite the worker's watcher sees any commit to the file),
so a tablet's next poll needs no query at all; the session's time limits are still checked on every poll.
"""
from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app, g, request, session
from sqlalchemy import Select, bindparam, exists, or_, select

from .auth import passwords
from .auth.models import User, UserRole, UserSession
from .auth.service import DUTY_TABLET, POLL_HEADER, session_problem
from .extensions import db
from .htmx import wants_fragment
from .rawquery import DriverStatement
from .signals import copy

READ_TABLES = ("user_session", "user", "user_role")  # what every poll's row is read from, besides its version

POLL_ENVIRON = "HTTP_" + POLL_HEADER.upper().replace("-", "_")


@dataclass(frozen=True)
class Poll:
    """A pollable endpoint: its one query (built once) and its ETag."""

    query: DriverStatement  # session, person, roles and version for :sid and :uid
    etag: Callable      # etag(hall_id, version, fragment) -> str
    tables: tuple       # the tables the row is read from (their changes end a kept copy)


_POLLS: dict[str, Poll] = {}


def register(endpoint: str, roles: tuple, version: Callable, etag: Callable, version_table: str) -> None:
    """Let an endpoint's unchanged polls be answered here (its view must give the same ETag)."""
    _POLLS[endpoint] = Poll(DriverStatement(_query(roles, version)), etag, (*READ_TABLES, version_table))


def answer_unchanged():
    """Return a 304 for an unchanged poll by a sound session; None lets the request go on as usual."""
    req = request._get_current_object()  # one context lookup, not one per attribute
    poll = _POLLS.get(req.endpoint or "")
    if poll is None or req.method != "GET" or req.environ.get(POLL_ENVIRON) != "1" or not req.if_none_match:
        return None
    cookie = session._get_current_object()
    sid, user_id = cookie.get("sid"), cookie.get("_user_id")
    if not sid or not str(user_id or "").isdigit():
        return None
    row = _row(poll, req.endpoint, sid, int(user_id))
    if (row is None or not row["allowed"] or row["must_change_password"]
            or passwords.changed_too_long_ago(row["password_changed_at"])
            or session_problem(row["created_at"], row["revoked_at"], row["active"], row["duty_tablet"])):
        return None
    tag = poll.etag(row["hall_id"], row["version"] or 0, wants_fragment())
    if not req.if_none_match.contains(tag):
        return None
    g.poll_unchanged = True
    response = current_app.response_class(status=304)
    response.set_etag(tag)
    response.headers["Vary"] = "HX-Request"
    return response


def _row(poll: Poll, endpoint: str, sid: str, user_id: int) -> dict | None:
    """The poll's row: this worker's copy while its tables are unchanged, else read (and kept)."""
    # Plain columns straight from the driver, not the ORM session nor a Core transaction (rawquery.py).
    return copy((endpoint, sid, user_id), poll.tables, lambda: poll.query.first(db.engine, sid=sid, uid=user_id),
                outside=True)


def _holds(roles):
    # One bound value per role, not an expanding IN: the statement compiles once, not on every poll.
    return exists().where(UserRole.user_id == User.id, or_(*(UserRole.role == str(r) for r in roles)))


def _query(roles: tuple, version: Callable) -> Select:
    return (select(UserSession.created_at.label("created_at"), UserSession.revoked_at.label("revoked_at"),
                   User.active.label("active"), User.hall_id.label("hall_id"),
                   User.must_change_password.label("must_change_password"),
                   User.password_changed_at.label("password_changed_at"),
                   _holds(roles).label("allowed"), _holds(DUTY_TABLET).label("duty_tablet"),
                   version(User.hall_id).label("version"))
            .join(User, User.id == UserSession.user_id)
            .where(UserSession.id == bindparam("sid"), UserSession.user_id == bindparam("uid")))
