"""The hall's clock: one place that says what time it is, so tests can move it."""
from datetime import UTC, date, datetime
from functools import cache
from zoneinfo import ZoneInfo

_frozen: datetime | None = None
_hall_zone = ZoneInfo("Asia/Shanghai")


def use_zone(name: str) -> None:
    """Set the hall's time zone for this process: create_app does, from its HALL_TIMEZONE.

    One zone for every hall of an install (China keeps one), so it is read here, not from the app on each
    call: a page of the month's punches asks for it thousands of times.
    """
    global _hall_zone
    _hall_zone = _zone(name)


def hall_tz() -> ZoneInfo:
    """Return the hall's time zone."""
    return _hall_zone


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
