"""Picking who goes out on short leave: by window (tap it, then its A or B post) or by a search."""
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from ..auth.models import User
from ..extensions import db
from ..org.models import Window

SEARCH_LIMIT = 20


@dataclass
class Pick:
    """A person who may go out, with the window and post they hold and their unit."""

    user: User
    window: Window | None

    @property
    def post(self) -> str:
        w = self.window
        if w is None or self.user.id not in (w.a_post_id, w.b_post_id):
            return ""
        return "A岗" if w.a_post_id == self.user.id else "B岗"

    @property
    def department(self) -> str:
        return self.user.department.name if self.user.department else ""


def windows(hall_id: int) -> list[Window]:
    """Return the hall's active windows by number, with their A and B posts."""
    return db.session.execute(select(Window).where(Window.hall_id == hall_id, Window.active.is_(True))
                              .options(selectinload(Window.a_post), selectinload(Window.b_post),
                                       selectinload(Window.department))
                              .order_by(Window.number)).scalars().all()


def window(hall_id: int, window_id) -> Window | None:
    """Return one active window of the hall (None when it is not one)."""
    found = db.session.get(Window, int(window_id)) if str(window_id or "").isdigit() else None
    return found if found is not None and found.hall_id == hall_id and found.active else None


def _staff(hall_id: int):
    return select(User).where(User.hall_id == hall_id, User.active.is_(True), User.window_id.is_not(None)).options(
        selectinload(User.window), selectinload(User.department))


def person(hall_id: int, user_id) -> Pick | None:
    """Return the picked person of the hall, with their window (None when not one of the hall's staff)."""
    if not str(user_id or "").isdigit():
        return None
    user = db.session.execute(_staff(hall_id).where(User.id == int(user_id))).scalar()
    return Pick(user, user.window) if user else None


def search(hall_id: int, q: str) -> list[Pick]:
    """Return the staff whose name matches, or who hold the window of that number."""
    q = (q or "").strip()[:20]
    if not q:
        return []
    match = User.name.contains(q, autoescape=True)
    if q.isdigit():
        match = or_(match, User.window_id.in_(select(Window.id).where(Window.hall_id == hall_id,
                                                                      Window.number == int(q))))
    found = db.session.execute(_staff(hall_id).where(match).order_by(User.name).limit(SEARCH_LIMIT)).scalars().all()
    return sorted((Pick(u, u.window) for u in found), key=lambda p: (p.window.number if p.window else 0, p.post))
