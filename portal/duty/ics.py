"""The private .ics feed of a person's duty days (值班日)."""
import secrets
from datetime import UTC, timedelta

from sqlalchemy import select

from .. import clock
from ..extensions import db
from .models import APPROVED, DutyDay, DutyOverride


def ensure_token(user) -> str:
    """Give the person a calendar token if they have none."""
    if not user.calendar_token:
        user.calendar_token = secrets.token_urlsafe(24)
    return user.calendar_token


def duty_days(user) -> list:
    """Return the person's duty days from a month ago on, after approved whole-day 替岗."""
    since = clock.today() - timedelta(days=31)
    days = set(db.session.execute(select(DutyDay.day).where(
        DutyDay.leader_id == user.id, DutyDay.day >= since)).scalars())
    swaps = db.session.execute(select(DutyOverride).where(
        DutyOverride.state == APPROVED, DutyOverride.kind == "days", DutyOverride.last_day >= since,
        (DutyOverride.requested_by_id == user.id) | (DutyOverride.substitute_id == user.id))).scalars().all()
    rostered = set(db.session.execute(select(DutyDay.day).where(
        DutyDay.hall_id == user.hall_id, DutyDay.day >= since)).scalars())
    for o in sorted(swaps, key=lambda o: o.decided_at):
        covered = {d for d in rostered if o.first_day <= d <= o.last_day}
        days = (days | covered) if o.substitute_id == user.id else (days - covered)
    return sorted(days)


def feed(user) -> str:
    """Return an iCalendar text with one all-day event per duty day."""
    days = duty_days(user)
    stamp = clock.now().astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//HallDesk//duty//ZH", "CALSCALE:GREGORIAN",
             "X-WR-CALNAME:值班长值班"]
    for d in days:
        lines += ["BEGIN:VEVENT", f"UID:duty-{user.id}-{d:%Y%m%d}@halldesk", f"DTSTAMP:{stamp}",
                  f"DTSTART;VALUE=DATE:{d:%Y%m%d}", f"DTEND;VALUE=DATE:{d + timedelta(days=1):%Y%m%d}",
                  "SUMMARY:值班长值班", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines) + "\r\n"
