"""Hall screens: tokens, the cheap version check behind polling, and what a screen shows."""
import secrets
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from .. import clock
from ..duty import service as duty
from ..extensions import db
from ..notices import board as notices
from ..org.models import Hall
from ..rulebook import service as rules
from ..sitin import service as sitin
from . import snapshot
from .models import DisplayScreen

# How long the side panel (duty leader, sit-ins, reception day) may lag behind: those change in
# other capabilities, which do not move the board stamp.
SIDE_DATA_SECONDS = 300
TOKEN_MIN_LENGTH = 12


class ScreenError(Exception):
    """A refused screen action, with a Chinese message and the HTTP status to answer."""

    def __init__(self, message: str, status: int = 422):
        super().__init__(message)
        self.message, self.status = message, status


def screens(hall_id: int) -> list[DisplayScreen]:
    """Return the hall's screens, active first."""
    return db.session.execute(select(DisplayScreen).where(DisplayScreen.hall_id == hall_id)
                              .order_by(DisplayScreen.revoked_at.is_not(None), DisplayScreen.id)).scalars().all()


def create_screen(user, name: str, location: str = "", token: str | None = None) -> DisplayScreen:
    """Add a screen with a new secret token for its address."""
    screen = DisplayScreen(hall_id=user.hall_id, name=name.strip()[:60], location=(location or "").strip()[:100],
                           token=token or secrets.token_urlsafe(24), created_by_id=user.id,
                           rotate_seconds=rules.get("display.rotate_seconds"),
                           poll_seconds=rules.get("display.poll_seconds"))
    db.session.add(screen)
    db.session.flush()
    return screen


def revoke(user, screen_id: int) -> DisplayScreen:
    """Revoke a screen's token: its address answers 404 from the next poll on."""
    screen = db.session.get(DisplayScreen, screen_id)
    if screen is None or screen.hall_id != user.hall_id:
        raise ScreenError("没有这块屏幕", 404)
    if screen.revoked_at is not None:
        raise ScreenError("这块屏幕已经停用了", 409)
    screen.revoked_at, screen.revoked_by_id = clock.now(), user.id
    db.session.flush()
    return screen


@dataclass(frozen=True)
class PollState:
    """What a poll needs to decide 304: the screen and its hall's board stamp, in one query."""

    screen_id: int
    hall_id: int
    rotate_seconds: int
    poll_seconds: int
    version: int
    moments: str

    def etag(self, moment=None) -> str:
        """Return the version of what the screen would show now (changes when anything on it may)."""
        now = int((moment or clock.now()).timestamp())
        passed = sum(1 for m in self.moments.split() if int(m) <= now)
        bucket = now // current_app.config.get("DISPLAY_SIDE_DATA_SECONDS", SIDE_DATA_SECONDS)
        return f'"s{self.screen_id}.{self.rotate_seconds}.{self.poll_seconds}.v{self.version}.m{passed}.b{bucket}"'


def poll_state(token: str) -> PollState | None:
    """Return the state of an active screen by its token, or None (wrong or revoked)."""
    if len(token) < TOKEN_MIN_LENGTH or len(token) > 64:
        return None
    found = snapshot.screens().get(token)
    return PollState(*found) if found else None


def content(state: PollState) -> dict:
    """Return what the screen shows: public notices (emergencies first), and today's side panel."""
    today = clock.today()
    emergencies, rotation = notices.public_now(state.hall_id)
    weekday, half = rules.get("duty.reception_weekday"), rules.display("duty.reception_half")
    return dict(hall=db.session.get(Hall, state.hall_id), emergencies=emergencies, rotation=rotation,
                duty_leader=duty.holder_now(state.hall_id).leader, sitins=sitin.expected_on(today, state.hall_id),
                reception=f"每{rules.display('duty.reception_weekday').replace('星期', '周')}{half}",
                reception_today=today.isoweekday() == weekday, today=today)
