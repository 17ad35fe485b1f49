"""Queries and changes on the organisation, shared by views and other capabilities."""

from blinker import signal
from flask import g
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from .. import signals
from ..auth.passwords import one_time_password
from ..extensions import db
from ..records import hall_record
from .models import Department, Hall, User, Window

# Sent with each new hall, flushed (it has an id): capabilities seed its defaults (their init_app connects).
hall_created = signal("halldesk.hall-created")


def add_hall(hall: Hall) -> Hall:
    """Add a hall and let each capability seed its defaults (the patrol checklist, ...)."""
    db.session.add(hall)
    db.session.flush()
    hall_created.send(hall)
    return hall


def hall_of(user) -> Hall:
    """Return the hall the person belongs to."""
    return db.session.get(Hall, user.hall_id)


def departments(hall_id: int, kind: str | None = None, active_only: bool = False):
    """Return a hall's departments in display order."""
    q = select(Department).where(Department.hall_id == hall_id)
    if kind:
        q = q.where(Department.kind == kind)
    if active_only:
        q = q.where(Department.active.is_(True))
    return db.session.execute(q.order_by(Department.sort_order, Department.id)).scalars().all()


def windows(hall_id: int, active_only: bool = True):
    """Return a hall's windows by number, with department and posts loaded in one query."""
    q = (select(Window).where(Window.hall_id == hall_id)
         .options(joinedload(Window.department), joinedload(Window.a_post),
                  joinedload(Window.b_post), joinedload(Window.zone_office))
         .order_by(Window.number))
    if active_only:
        q = q.where(Window.active.is_(True))
    return db.session.execute(q).scalars().all()


_WINDOW_CHOICES = (select(Window.id, Window.number, Window.name)
                   .where(Window.hall_id == bindparam("hall"), Window.active.is_(True)).order_by(Window.number))


def window_choices(hall_id: int):
    """Return (id, number, name) of a hall's active windows by number: the worker's copy while no window changed."""
    cache = g.setdefault("window_choices", {})
    if hall_id not in cache:
        cache[hall_id] = signals.copy(("window_choices", hall_id), ("window",),
                                      lambda: db.session.execute(_WINDOW_CHOICES, {"hall": hall_id}).all())
    return cache[hall_id]


def people(hall_id: int, department_id: int | None = None, search: str = "", active_only: bool = False):
    """Return a hall's people, optionally of one department or matching a name or login."""
    q = (select(User).where(User.hall_id == hall_id)
         .options(joinedload(User.department), joinedload(User.window)).order_by(User.id))
    if department_id:
        q = q.where(User.department_id == department_id)
    if search:
        like = f"%{search.strip()}%"
        q = q.where(User.name.like(like) | User.login.like(like))
    if active_only:
        q = q.where(User.active.is_(True))
    return db.session.execute(q).scalars().unique().all()


def in_hall_or_404(model, object_id: int, hall_id: int):
    """Return the object if it belongs to this hall, else an audited 404 (kept for callers of org)."""
    return hall_record(model, object_id, hall_id=hall_id)


def halls_under(hall_id: int) -> list[Hall]:
    """Return the hall and every hall below it (township stations under a county hall)."""
    found = [db.session.get(Hall, hall_id)]
    seen, frontier = {hall_id}, [hall_id]
    while frontier:
        rows = db.session.execute(select(Hall).where(Hall.parent_id.in_(frontier))).scalars().all()
        rows = [h for h in rows if h.id not in seen]
        seen.update(h.id for h in rows)
        found.extend(rows)
        frontier = [h.id for h in rows]
    return found


def temporary_password() -> str:
    """Make a one-time password that already satisfies the password rules."""
    return one_time_password()
