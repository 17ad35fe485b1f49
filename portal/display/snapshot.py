"""The screens' poll answer without the database: a per-worker copy of every active screen's state.

The copy is a portal.snapshot.Snapshot: any commit that touches a screen or a board stamp moves its
generation, and every worker reloads the active screens with one query.
"""
import time  # noqa: F401  (tests move the workers' clock through this module)

from sqlalchemy import select

from ..extensions import db
from ..notices.models import BoardStamp
from ..snapshot import MAX_AGE_S, Snapshot  # noqa: F401  (MAX_AGE_S is read by the tests)
from .models import DisplayScreen


def _load() -> dict:
    rows = db.session.execute(
        select(DisplayScreen.token, DisplayScreen.id, DisplayScreen.hall_id, DisplayScreen.rotate_seconds,
               DisplayScreen.poll_seconds, BoardStamp.version, BoardStamp.moments)
        .outerjoin(BoardStamp, BoardStamp.hall_id == DisplayScreen.hall_id)
        .where(DisplayScreen.revoked_at.is_(None))).all()
    return {r[0]: (r[1], r[2], r[3], r[4], r[5] or 0, r[6] or "") for r in rows}


SCREENS = Snapshot("display", _load, (DisplayScreen, BoardStamp))
# {token: (screen id, hall id, rotate s, poll s, board version, moments)} of active screens.
screens = SCREENS.get
bump = SCREENS.bump
listen = SCREENS.listen
