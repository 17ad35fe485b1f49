"""The private .ics feed of a leader's department sit-ins (subscribed in a phone calendar)."""
from datetime import UTC, date, datetime, time

from .. import clock
from ..ics import calendar, event
from ..rulebook import service as rules
from .weekview import ics_events


def _at(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=clock.hall_tz()).astimezone(UTC)


def feed(user, hall_name: str) -> bytes:
    """Return an iCalendar with one event per booked half day."""
    cal, stamp = calendar("领导坐班", "sitin"), clock.now().astimezone(UTC)
    for b in ics_events(user):
        start, end = rules.office_hours(b.day)[b.half]
        cal.add_component(event(f"sitin-{b.id}@halldesk", stamp, _at(b.day, start), _at(b.day, end),
                                f"领导坐班（{b.department.name}，{b.half_label}）", hall_name))
    return cal.to_ical()
