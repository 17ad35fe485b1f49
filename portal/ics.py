"""iCalendar feeds (RFC 5545) through the icalendar library: the one place that starts a feed."""
from icalendar import Calendar, Event


def calendar(name: str, product: str) -> Calendar:
    """Return an empty iCalendar with the portal's headers and a display name."""
    cal = Calendar()
    cal.add("prodid", f"-//HallDesk//{product}//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    return cal


def event(uid: str, stamp, start, end, summary: str, location: str = "") -> Event:
    """Return one event; dates make all-day events, aware datetimes timed ones (written in UTC)."""
    e = Event()
    e.add("uid", uid)
    e.add("dtstamp", stamp)
    e.add("dtstart", start)
    e.add("dtend", end)
    e.add("summary", summary)
    if location:
        e.add("location", location)
    return e
