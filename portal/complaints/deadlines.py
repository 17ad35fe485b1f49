"""A case's deadlines on the hall's working-day calendar, and who owned it for how long."""
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from .. import clock
from ..inbox import worktime
from ..rulebook import calendar
from ..rulebook import service as rules
from .models import Complaint


@dataclass
class Deadlines:
    """Every deadline of a case at once (签收、答复、回访、重办)."""

    accept_by: datetime | None
    reply_by: datetime | None  # None while the clock is paused
    callback_by: datetime | None
    reopen_by: datetime | None
    paused_days: int
    extended: bool


@dataclass
class Ownership:
    """One stretch of a case's life with one owner (首问责任人 or the handling unit)."""

    owner: str
    start: datetime
    end: datetime | None  # None: still the owner

    @property
    def held(self) -> str:
        return worktime.describe(worktime.between(self.start, self.end or clock.now()), self.start.date())


def limit_days(kind: str) -> int:
    """Return the working days a kind of case has (urgent 0: the same day)."""
    return rules.get(f"complaints.{kind}_days")


def day_of(moment: datetime) -> date:
    """Return the hall's local day of a moment."""
    return clock.local(moment).date()


def close_of(day: date, n: int) -> datetime:
    """Return the close of the working day n working days after the day."""
    return worktime.closing(calendar.add_working_days(day, n))


def round_steps(case: Complaint, round_: int | None = None) -> list:
    """Return the steps of one round of the case (the current one by default)."""
    round_ = round_ or case.round
    return [s for s in case.steps if s.round == round_]


def round_start(case: Complaint, round_: int) -> date:
    """Return the day a round's clock started: first contact, or the day it was reopened."""
    if round_ == case.round:
        return case.round_start
    reopened = last(round_steps(case, round_), "reopened")
    return day_of(reopened.at) if reopened else day_of(case.received_at)


def paused_days(steps, today: date) -> tuple[int, bool]:
    """Return the working days the clock stood still in these steps, and whether it stands still now."""
    total, since = 0, None
    for s in steps:
        if s.step == "paused":
            since = day_of(s.at)
        elif s.step == "resumed" and since is not None:
            total += len(calendar.working_days(since + timedelta(days=1), day_of(s.at)))
            since = None
    return total, since is not None


def pending_send(steps):
    """Return the hand-off that waits for the unit's answer (签收 or 退单), if any."""
    waiting = None
    for s in steps:
        if s.step == "sent":
            waiting = s
        elif s.step in ("accepted", "returned"):
            waiting = None
    return waiting


def last(steps, name: str):
    """Return the latest step of this name, if any."""
    found = [s for s in steps if s.step == name]
    return found[-1] if found else None


def of(case: Complaint, today: date | None = None, round_: int | None = None) -> Deadlines:
    """Work out every deadline of the case (of its current round, or of an earlier one) as its steps stand."""
    today, round_ = today or clock.today(), round_ or case.round
    steps = round_steps(case, round_)
    paused, pausing = paused_days(steps, today)
    extended = last(steps, "extension_approved") is not None
    extra = paused + (rules.get("complaints.extension_days") if extended else 0)
    reply_by = None if pausing else close_of(round_start(case, round_), limit_days(case.kind) + extra)
    sent = pending_send(steps)
    accept_by = close_of(day_of(sent.at), rules.get("complaints.accept_days")) if sent else None
    reply = last(steps, "replied")
    callback_by = close_of(day_of(reply.at), rules.get("complaints.callback_days")) if reply else None
    reopen_by = close_of(day_of(reply.at), rules.get("complaints.reopen_days")) if reply else None
    return Deadlines(accept_by, reply_by, callback_by, reopen_by, paused, extended)


def overdue_days(case: Complaint, today: date) -> list[date]:
    """Return the working days after the reply deadline up to today on which the reply was still missing."""
    due = of(case, today).reply_by
    if due is None or case.state not in ("accepted", "sent", "received"):
        return []
    return calendar.working_days(day_of(due) + timedelta(days=1), today)


def owners(case: Complaint) -> list[Ownership]:
    """Return every owner the case had and from when to when."""
    stretches = [Ownership(f"首问责任人 {case.first_owner.name}", case.received_at, None)]
    for s in case.steps:
        if s.step == "accepted":
            stretches[-1].end = s.at
            stretches.append(Ownership(f"承办单位 {s.unit.name}", s.at, None))
    if case.state == "closed":
        stretches[-1].end = case.steps[-1].at
    return stretches
