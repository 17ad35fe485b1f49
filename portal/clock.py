"""The hall's clock: one place that says what time it is, so tests can move it."""
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

_frozen: datetime | None = None


def hall_tz() -> ZoneInfo:
    """Return the hall's time zone."""
    name = current_app.config["HALL_TIMEZONE"] if has_app_context() else "Asia/Shanghai"
    return ZoneInfo(name)


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
