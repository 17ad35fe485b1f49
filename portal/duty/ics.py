"""The private .ics feed of a person's duty days (值班日)."""
import secrets
from datetime import UTC, timedelta

from sqlalchemy import func, select

from .. import clock
from ..extensions import db
from ..ics import calendar, event
from .models import DutyDay
from .service import holders


def ensure_token(user) -> str:
    """Give the person a calendar token if they have none."""
    if not user.calendar_token:
        user.calendar_token = secrets.token_urlsafe(24)
    return user.calendar_token


def duty_days(user) -> list:
    """Return the days the person holds the desk, from a month ago to the end of the roster."""
    since = clock.today() - timedelta(days=31)
    last = db.session.execute(select(func.max(DutyDay.day)).where(DutyDay.hall_id == user.hall_id)).scalar()
    if last is None or last < since:
        return []
    return [d for d, h in holders(user.hall_id, since, last).items() if h.leader and h.leader.id == user.id]


def feed(user) -> bytes:
    """Return an iCalendar with one all-day event per duty day."""
    cal, stamp = calendar("值班长值班", "duty"), clock.now().astimezone(UTC)
    for d in duty_days(user):
        cal.add_component(event(f"duty-{user.id}-{d:%Y%m%d}@halldesk", stamp, d, d + timedelta(days=1), "值班长值班"))
    return cal.to_ical()
