"""The private .ics feed of a leader's department sit-ins (subscribed in a phone calendar)."""
from datetime import UTC, date, datetime, time

from .. import clock
from ..rulebook import service as rules
from .weekview import ics_events


def _hours(day: date, half: str) -> tuple[time, time]:
    return rules.office_hours(day)[half]


def _stamp(day: date, at: time) -> str:
    moment = datetime.combine(day, at, tzinfo=clock.hall_tz()).astimezone(UTC)
    return moment.strftime("%Y%m%dT%H%M%SZ")


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def feed(user, hall_name: str) -> str:
    """Return an iCalendar text with one event per booked half day."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//HallDesk//sitin//ZH", "CALSCALE:GREGORIAN",
             "X-WR-CALNAME:" + _escape("领导坐班")]
    now = clock.now().astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    for b in ics_events(user):
        start, end = _hours(b.day, b.half)
        lines += ["BEGIN:VEVENT", f"UID:sitin-{b.id}@halldesk", f"DTSTAMP:{now}",
                  f"DTSTART:{_stamp(b.day, start)}", f"DTEND:{_stamp(b.day, end)}",
                  "SUMMARY:" + _escape(f"领导坐班（{b.department.name}，{b.half_label}）"),
                  "LOCATION:" + _escape(hall_name), "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines) + "\r\n"
