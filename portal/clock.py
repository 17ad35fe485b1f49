"""The hall's clock: one place that says what time it is, so tests can move it."""
from datetime import UTC, date, datetime
from functools import cache
from zoneinfo import ZoneInfo

from flask import current_app

_frozen: datetime | None = None


def hall_tz() -> ZoneInfo:
    """Return the hall's time zone."""
    try:
        name = current_app.config["HALL_TIMEZONE"]
    except RuntimeError:  # outside an app context
        name = "Asia/Shanghai"
    return _zone(name)


@cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)  # a few names in a process's life; each looked up once


def now() -> datetime:
    """Return the current time, aware, in the hall's zone."""
    if _frozen is not None:
        return _frozen.astimezone(hall_tz())
    return datetime.now(UTC).astimezone(hall_tz())


def today() -> date:
    """Return today's date in the hall."""
    return now().date()


def freeze(moment: datetime | None) -> None:
    """Pin the clock to a moment (tests and the demo); None lets it run again."""
    global _frozen
    if moment is not None and moment.tzinfo is None:
        moment = moment.replace(tzinfo=hall_tz())
    _frozen = moment


def local(moment: datetime | None) -> datetime | None:
    """Convert an aware datetime to the hall's zone."""
    return moment.astimezone(hall_tz()) if moment else None
