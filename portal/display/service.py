"""Hall screens: tokens, the cheap version check behind polling, and what a screen shows."""
from dataclasses import dataclass
from datetime import date, datetime

from flask import current_app
from sqlalchemy import select

from .. import clock
from ..duty import service as duty
from ..extensions import db
from ..inbox import worktime
from ..notices import service as notices
from ..org.models import Hall
from ..ratings import service as ratings
from ..records import hall_record
from ..refusals import Refusal
from ..rulebook import calendar
from ..rulebook import service as rules
from ..sitin import service as sitin
from ..snapshot import new_token, paired
from . import snapshot
from .models import DisplayScreen

# How long the side panel (duty leader, sit-ins, reception day) may lag behind: those change in
# other capabilities, which do not move the board stamp.
SIDE_DATA_SECONDS = 300
WEEKDAY_NAMES = "一二三四五六日"


class ScreenError(Refusal):
    """A refused hall screen action (大厅屏幕), with a Chinese message and the HTTP status to answer."""


def screens(hall_id: int) -> list[DisplayScreen]:
    """Return the hall's screens, active first."""
    return db.session.execute(select(DisplayScreen).where(DisplayScreen.hall_id == hall_id)
                              .order_by(DisplayScreen.revoked_at.is_not(None), DisplayScreen.id)).scalars().all()


def create_screen(user, name: str, location: str = "", token: str | None = None) -> DisplayScreen:
    """Add a screen with a new secret token for its address."""
    screen = DisplayScreen(hall_id=user.hall_id, name=name.strip()[:60], location=(location or "").strip()[:100],
                           token=token or new_token(), created_by_id=user.id,
                           rotate_seconds=rules.get("display.rotate_seconds"),
                           poll_seconds=rules.get("display.poll_seconds"))
    db.session.add(screen)
    db.session.flush()
    return screen


def revoke(user, screen_id: int) -> DisplayScreen:
    """Revoke a screen's token: its address answers 404 from the next poll on."""
    screen = hall_record(DisplayScreen, screen_id, hall_id=user.hall_id)
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
    return paired(snapshot.SCREENS, token, PollState)


def content(state: PollState) -> dict:
    """Return what the screen shows: public notices (emergencies first), and today's side panel."""
    with rules.in_hall(state.hall_id):  # no one signs in on a screen: read its hall's rulebook and calendar
        return _content(state)


def _content(state: PollState) -> dict:
    today = clock.today()
    emergencies, rotation = notices.public_now(state.hall_id)
    weekday, half = rules.get("duty.reception_weekday"), rules.display("duty.reception_half")
    return dict(hall=db.session.get(Hall, state.hall_id), emergencies=emergencies, rotation=rotation,
                duty_leader=duty.holder_now(state.hall_id).leader, sitins=sitin.expected_on(today, state.hall_id),
                reception=f"每{rules.display('duty.reception_weekday').replace('星期', '周')}{half}",
                reception_today=today.isoweekday() == weekday, today=today, closed=closed_now(clock.now()),
                good_rate=ratings.month_good_rate(state.hall_id)
                if rules.get("display.show_good_rate", state.hall_id) else None)


@dataclass(frozen=True)
class Closed:
    """The hall not open now: a day off (休息日), or a working day before opening or after closing."""

    name: str
    reopens: date
    opens_at: datetime | None = None  # set outside the office hours of a working day
    kind: str = "rest_day"  # rest_day, before_opening, after_hours

    @property
    def reopens_label(self) -> str:
        day = f"{self.reopens.month}月{self.reopens.day}日（星期{WEEKDAY_NAMES[self.reopens.weekday()]}）"
        if self.opens_at is None:
            return day
        hour = clock.local(self.opens_at).strftime("%-H:%M")
        return f"今天 {hour}" if self.kind == "before_opening" else f"{day}{hour}"

    @property
    def label(self) -> str:
        return CLOSED_LABELS[self.kind]


CLOSED_LABELS = {"rest_day": "今日休息", "before_opening": "尚未开始办理", "after_hours": "今日办理已结束"}


def closed_today(today: date) -> Closed | None:
    """Return how the hall is closed today from its working-day calendar, or None on a working day."""
    if calendar.is_working_day(today):
        return None
    row = calendar.describe(today, today).get(today)
    return Closed(name=row.name if row and row.name else "", reopens=calendar.next_working_day(today))


def closed_now(now: datetime) -> Closed | None:
    """Return how the hall is closed at this moment (day off, before opening, after closing), or None if open."""
    today = clock.local(now).date()
    closed = closed_today(today)
    if closed is not None:
        return closed
    if now < worktime.opening(today):
        return Closed(name="", reopens=today, opens_at=worktime.opening(today), kind="before_opening")
    if now >= worktime.closing(today):
        day = calendar.next_working_day(today)
        return Closed(name="", reopens=day, opens_at=worktime.opening(day), kind="after_hours")
    return None
