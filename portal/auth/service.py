"""Sign people in and out, keep their sessions on the server, lock out guessing."""
import secrets
from datetime import timedelta
from functools import cache

from flask import current_app, g, request, session
from flask_login import login_user, logout_user
from sqlalchemy import bindparam, delete, inspect, or_, select, update
from sqlalchemy.orm import joinedload, make_transient_to_detached
from sqlalchemy.orm.attributes import instance_state, set_committed_value
from sqlalchemy.orm.util import identity_key

from .. import clock
from ..audit import service as audit
from ..database import write_transaction
from ..extensions import db
from ..roles import Role
from ..rulebook import service as rules
from ..signals import source
from . import passwords
from .models import User, UserRole, UserSession

POLL_HEADER = "X-HallDesk-Poll"
DUTY_TABLET = (Role.DUTY_LEADER, Role.GENERAL_DUTY)  # roles signed in on the duty tablet (shorter idle limit)
FAILED = "登录名或密码错误，或账号已被锁定"


def _epoch() -> int:
    return int(clock.now().timestamp())


def authenticate(login: str, password: str) -> User | None:
    """Return the user if the password is right and the account usable; audit either way."""
    login = (login or "").strip()
    user = db.session.execute(select(User).where(User.login == login)).scalar_one_or_none()
    now = clock.now()
    if user is None or not user.active:
        passwords.matches(_DUMMY_HASH, password)  # same cost as a real check
        audit.record_now("auth.login", "user", "", "failed", {"login": login, "why": "unknown or inactive"})
        return None
    if user.locked_until and user.locked_until > now:
        audit.record_now("auth.login", "user", user.id, "denied", {"login": login, "why": "locked"})
        return None
    if not passwords.matches(user.password_hash, password):
        _count_failure(user)
        return None
    user.failed_logins, user.locked_until = 0, None
    return user


_DUMMY_HASH = passwords.hash_password(secrets.token_hex(8))


def _count_failure(user: User) -> None:
    limit = rules.get("security.lockout_failures")
    minutes = rules.get("security.lockout_minutes")
    uid, login = user.id, user.login
    with write_transaction() as s:
        # A lock that has run out starts a fresh count.
        s.execute(update(User).where(User.id == uid, User.locked_until <= clock.now())
                  .values(failed_logins=0, locked_until=None))
        # Count in the database, not in Python, so parallel guesses all count.
        s.execute(update(User).where(User.id == uid).values(failed_logins=User.failed_logins + 1))
        count = s.execute(select(User.failed_logins).where(User.id == uid)).scalar_one()
        locked = count >= limit
        if locked:
            s.execute(update(User).where(User.id == uid)
                      .values(locked_until=clock.now() + timedelta(minutes=minutes)))
        s.add(audit.build("auth.login", "user", uid, "failed",
                          {"login": login, "why": "wrong password", "failures": count, "locked": locked}))


def sign_in(user: User) -> None:
    """Start a new server-side session for the user (never reuse the old one)."""
    session.clear()
    sid = secrets.token_urlsafe(32)
    db.session.add(UserSession(id=sid, user_id=user.id, created_at=clock.now(),
                               ip=audit.clean(request.remote_addr, 64),
                               user_agent=audit.clean(request.user_agent.string, 200)))
    session["sid"] = sid
    session["seen"] = int(_epoch())
    session.permanent = False
    login_user(user)
    audit.record("auth.login", "user", user.id, "ok", {"login": user.login}, user=user)
    db.session.commit()


def sign_out(user: User, reason: str = "logout") -> None:
    """End the current session on the server and in the browser."""
    sid = session.get("sid")
    if sid:
        db.session.execute(update(UserSession).where(UserSession.id == sid)
                           .values(revoked_at=clock.now(), revoked_reason=reason))
    audit.record("auth.logout", "user", user.id, "ok", {"reason": reason}, user=user)
    db.session.commit()
    logout_user()
    session.clear()


def end_sessions(user: User, reason: str, keep: str | None = None) -> int:
    """Revoke every open session of a person (admin action, deactivation, password reset), but `keep`."""
    query = update(UserSession).where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None))
    if keep:
        query = query.where(UserSession.id != keep)
    result = db.session.execute(query.values(revoked_at=clock.now(), revoked_reason=reason))
    return result.rowcount or 0


def clean_sessions() -> int:
    """Delete sessions that can no longer be used: revoked, or past the absolute limit (daily job)."""
    cutoff = clock.now() - timedelta(hours=rules.get("security.absolute_hours"))
    gone = db.session.execute(delete(UserSession).where(
        or_(UserSession.revoked_at.is_not(None), UserSession.created_at < cutoff))).rowcount or 0
    audit.record("auth.sessions_cleaned", "user_session", "", "ok", {"count": gone})
    return gone


def _idle_minutes(on_duty_tablet: bool) -> int:
    """Return the idle timeout in minutes (shorter for people signed in on the duty tablet)."""
    return rules.get("security.idle_minutes_duty" if on_duty_tablet else "security.idle_minutes")


@cache
def _session_user():
    """The session, its person and their roles by session id: built once (options cost more than the query)."""
    return (select(UserSession).where(UserSession.id == bindparam("sid"))
            .options(joinedload(UserSession.user).joinedload(User.role_rows)))


PERSON_TABLES = ("user_session", "user", "user_role")  # what a session's person is read from


def _session_person(sid: str) -> tuple | None:
    """Return (user id, session created, session revoked, person) for the session id, or None.

    One query: the session, its person and their roles (every signed-in request pays it). On PostgreSQL
    the person's columns and roles are kept in the worker (portal/signals.py) while none of the three
    tables changed anywhere, and the next request of the session builds its person from them: no query.
    """
    signal = source(db.engine) if current_app.config.get("CHANGE_SIGNALS", True) else None
    stamp = signal.stamp(PERSON_TABLES) if signal is not None else None
    key = ("person", sid)
    kept = signal.kept(key, stamp) if signal is not None else None
    if kept is not None:
        user_id, created_at, revoked_at, columns, roles = kept
        person = _person_from(columns, roles)
        if person is not None:
            return user_id, created_at, revoked_at, person
    row = db.session.execute(_session_user(), {"sid": sid}).unique().scalar_one_or_none()
    if row is None:
        return None
    user = row.user
    if signal is not None:
        columns = {a.key: getattr(user, a.key) for a in _USER_COLUMNS()}
        signal.keep(key, stamp, (row.user_id, row.created_at, row.revoked_at, columns,
                                 tuple(r.role for r in user.role_rows)))
    return row.user_id, row.created_at, row.revoked_at, user


def _blank(model):
    """A new instance of a mapped class with nothing set (its __init__ not run)."""
    return inspect(model).class_manager.new_instance()


@cache
def _USER_COLUMNS():  # noqa: N802 - a constant, known once the mappers are configured
    return tuple(inspect(User).column_attrs)


def _person_from(columns: dict, roles: tuple) -> User | None:
    """Put the kept person into this request's session as if just loaded (None if it already holds them)."""
    if db.session.identity_map.get(identity_key(User, columns["id"])) is not None:
        return None
    # As the ORM's loader builds a row's object: its values straight into the instance's dict (the
    # constructor would record each as a change, for make_transient_to_detached to clear again).
    person = _blank(User)
    instance_state(person).dict.update(columns)
    make_transient_to_detached(person)
    rows = []
    for role in roles:
        held = _blank(UserRole)
        instance_state(held).dict.update(user_id=person.id, role=role)
        make_transient_to_detached(held)
        rows.append(held)
    set_committed_value(person, "role_rows", rows)
    db.session.add(person)  # persistent and clean: nothing is written, nothing read
    return person


def load_session_user(user_id: str) -> User | None:
    """Load the user behind this session cookie, if the server-side session is still valid."""
    sid = session.get("sid")
    if not sid:
        return None
    found = _session_person(sid)
    if found is None or str(found[0]) != str(user_id):
        return None
    _user_id, created_at, revoked_at, user = found
    reason = session_problem(created_at, revoked_at, user.active, user.has_role(*DUTY_TABLET))
    if reason:
        g.session_ended = reason
        if revoked_at is None:
            with write_transaction():
                db.session.execute(update(UserSession).where(UserSession.id == sid)
                                   .values(revoked_at=clock.now(), revoked_reason=reason))
        session.clear()
        return None
    # A polling element keeps the screen fresh but is not a person at the tablet.
    if request.headers.get(POLL_HEADER) != "1" and _epoch() - session.get("seen", 0) > 20:
        session["seen"] = int(_epoch())
    return user


def session_problem(created_at, revoked_at, active: bool, on_duty_tablet: bool) -> str | None:
    """Return why this server-side session must end (revoked, inactive, absolute, idle), or None."""
    if revoked_at is not None:
        return "revoked"
    if not active:
        return "inactive"
    if clock.now() - created_at > timedelta(hours=rules.get("security.absolute_hours")):
        return "absolute"
    if _epoch() - session.get("seen", 0) > _idle_minutes(on_duty_tablet) * 60:
        return "idle"
    return None


