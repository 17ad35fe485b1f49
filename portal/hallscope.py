"""Which halls a person may act in, and the one they act in on this request (县级 → 便民服务站).

A station's people act in their own hall. County roles act in their hall and every hall under it; the
hall they have chosen is kept in the session and checked against that tree on every request.
"""
from flask import g, has_request_context, session
from sqlalchemy import select

from .extensions import db
from .roles import COUNTY_ROLES

SESSION_KEY = "acting_hall"
_COUNTY_VALUES = frozenset(r.value for r in COUNTY_ROLES)


def _hall_table():
    # The hall table is named, not imported: org stands on this module, not the other way.
    return db.metadata.tables["hall"]


def hall_ids_under(hall_id: int) -> list[int]:
    """Return the hall's id and the ids of every hall below it, top first (one query per level)."""
    hall = _hall_table()
    found, frontier = [hall_id], [hall_id]
    while frontier:
        rows = db.session.execute(select(hall.c.id).where(hall.c.parent_id.in_(frontier))
                                  .order_by(hall.c.id)).scalars().all()
        frontier = [h for h in rows if h not in found]
        found.extend(frontier)
    return found


def is_county(user) -> bool:
    """Tell whether the person holds a county role (acts in the halls under their own)."""
    return any(r.role in _COUNTY_VALUES for r in user.role_rows)


def halls_of(user) -> list[int]:
    """Return the ids of every hall the person may act in: the one place that decides it."""
    if not is_county(user):
        return [user.home_hall_id]
    if not has_request_context():
        return hall_ids_under(user.home_hall_id)
    cache = g.setdefault("halls_of", {})
    if user.id not in cache:
        cache[user.id] = hall_ids_under(user.home_hall_id)
    return cache[user.id]


def may_act_in(user, hall_id: int) -> bool:
    """Tell whether the person may act in this hall."""
    return hall_id == user.home_hall_id or (is_county(user) and hall_id in halls_of(user))


def acting_hall(user) -> int:
    """Return the hall the person acts in on this request: the chosen station, validated, or their own."""
    # Anyone but the person signed in on this request (a person being rated, charged, listed) acts in their own
    # hall, without their roles being loaded; so does a signed-in person who holds no county role.
    if not has_request_context() or g.get("_login_user") is not user or not is_county(user):
        return user.home_hall_id
    if "acting_hall_id" not in g:
        wanted = session.get(SESSION_KEY)
        g.acting_hall_id = wanted if wanted in halls_of(user) else user.home_hall_id
    return g.acting_hall_id


def act_as(user, hall_id: int | None = None) -> None:
    """Act as this person in this request context (a job or command on their behalf), in the hall if given."""
    g._login_user = user  # what Flask-Login's current_user reads
    if hall_id is not None and hall_id != user.home_hall_id:
        act_in(user, hall_id)


def act_in(user, hall_id: int, remember: bool = False) -> None:
    """Act in another hall the person may act in, for this request (and the next ones if remembered)."""
    if not may_act_in(user, hall_id):
        raise PermissionError(hall_id)
    g.acting_hall_id = hall_id
    if remember:
        session[SESSION_KEY] = hall_id
