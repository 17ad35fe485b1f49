"""The registry of inbox sources (待办来源): every capability tells the inbox what waits for whom.

A capability registers a source once, from an `init_app` the factory calls:

    registry.register("sitin.unfiled", unfiled, label="坐班报备", roles={Role.WINDOW_LEADER},
                      watches=("sitin_booking",))

`collect(person, hall_id, now)` returns the Items waiting for that person now. It reads the
capability's own service functions, never another capability's tables; it yields an item while
the thing is not done and stops yielding it once it is (reading an item does not remove it).
`roles` skips the source for people who cannot have its items; `watches` names the tables whose
writes can change what it yields, so the inbox version moves on (pulse.py) and a poll that finds
nothing changed is answered 304 from one query. An item whose link its owner may not open is
dropped here, whatever the source says: an inbox never shows what its owner may not open.

An Item's `deadline` (aware) places it in the inbox's groups (过期, 今天, 本周, 以后) and its time left
in working time (worktime.py); `remind` gives a reminder when the deadline's working day opens and
another at the deadline, once each per `key` (source, record type, record id) and deadline. `starts`
hides an item until its moment (a slip is overdue only after its time). Keep `record_id` stable: the
same thing to do must have the same key on every call, or it is reminded of again.

A desk source (desk=True) yields the duty desk's items (today's sit-in check-ins, leave slips overdue):
the registry asks it only for whoever holds the desk now, as told by the one holder function the duty
capability registers (`register_desk_holder`), so a source never needs to know who is on duty.

`collect_hall(hall_id, people, now)` gathers the items of many people at once (the center's overdue view):
each source is asked person by person, but what a source reads through `shared(read, *args)` (the hall's
open cases, its notices and their receipts) is read once for the whole call and then picked per person, so
a source that reads its rows that way costs the same queries for one person as for the whole hall.
"""
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app, g, has_request_context, request
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from .. import clock
from ..access import PUBLIC, SIGNED_IN, access_of
from ..roles import Role

SEVERITIES = {"info": "提示", "warn": "待办", "urgent": "紧急"}
# Tables every person's items depend on: who holds which role, the rulebook and the calendar.
CORE_WATCHES = ("user", "user_role", "rule_setting", "hall_rule_setting", "rule_overridable", "calendar_day")


@dataclass(frozen=True)
class Item:
    """One thing waiting for a person (待办事项), with its deadline and the record it concerns."""

    source: str            # the registered source's name
    title: str             # what to do, in Chinese: "坐班未报备"
    detail: str            # one line on which one: "下周（12月7日起）尚未报备坐班"
    link: str              # where the person does it (a path from url_for)
    deadline: datetime     # aware; when it falls overdue
    record_type: str       # the table of the record it concerns: "sitin_booking"
    record_id: int | str   # that record's id (or a stable key when there is no row yet: "2026-12-07")
    severity: str = "warn"  # info | warn | urgent
    starts: datetime | None = None  # shown from this moment on (None: at once)

    @property
    def key(self) -> str:
        """Return the item's stable key: the same thing to do has the same key on every run."""
        return f"{self.source}:{self.record_type}:{self.record_id}"

    @property
    def severity_label(self) -> str:
        return SEVERITIES.get(self.severity, self.severity)


@dataclass(frozen=True)
class Source:
    """A registered source of inbox items."""

    name: str
    label: str
    collect: Callable[..., Iterable[Item]]
    roles: frozenset = field(default_factory=frozenset)  # empty: anyone may have items
    watches: tuple = ()
    desk: bool = False  # the duty desk's own items (the desk shows them for whoever holds it)


_SOURCES: dict[str, Source] = {}
_DESK_HOLDER: list[Callable] = []
_DESK_HOLDER_ID: list[Callable] = []
_DESK_WATCHES: list[str] = []
# What the sources read during one collect, by (read, args): nothing writes while an inbox is gathered.
_READS: ContextVar[dict | None] = ContextVar("inbox_reads", default=None)
_PEOPLE: ContextVar[tuple | None] = ContextVar("inbox_people", default=None)


def register(name: str, collect: Callable, *, label: str, roles=(), watches=(), desk: bool = False) -> None:
    """Register (or replace) a source: collect(person, hall_id, now) -> items waiting for the person."""
    _SOURCES[name] = Source(name, label, collect, frozenset(Role(r) for r in roles), tuple(watches), desk)


def register_desk_holder(holder: Callable, watches=(), holder_id: Callable | None = None) -> None:
    """Tell the inbox who holds the duty desk: holder(hall_id, now) -> the person, or None.

    holder_id(hall_id, now) -> that person's id, or None, answers "is it this person?" more cheaply.
    """
    _DESK_HOLDER[:] = [holder]
    _DESK_HOLDER_ID[:] = [holder_id or (lambda hall_id, now: getattr(holder(hall_id, now), "id", None))]
    _DESK_WATCHES[:] = list(watches)


def desk_holder(hall_id: int, now: datetime):
    """Return who holds the hall's duty desk now (None without a roster, or before duty registers).

    A request asks once per hall and moment: the center's view collects for everyone at one moment.
    """
    if not _DESK_HOLDER:
        return None
    cache = g.setdefault("inbox_desk_holders", {}) if has_request_context() else {}
    if (hall_id, now) not in cache:
        cache[(hall_id, now)] = _DESK_HOLDER[0](hall_id, now)
    return cache[(hall_id, now)]


def holds_desk(person, hall_id: int, now: datetime) -> bool:
    """Say whether the person holds the hall's duty desk now (asked once per hall and moment, like desk_holder)."""
    if not _DESK_HOLDER_ID:
        return False
    cache = g.setdefault("inbox_desk_holder_ids", {}) if has_request_context() else {}
    if (hall_id, now) not in cache:
        cache[(hall_id, now)] = _DESK_HOLDER_ID[0](hall_id, now)
    return cache[(hall_id, now)] == person.id


def sources() -> list[Source]:
    """Return the registered sources, in registration order."""
    return list(_SOURCES.values())


def watched_tables() -> frozenset:
    """Return the tables whose writes change some inbox."""
    return frozenset(CORE_WATCHES).union(_DESK_WATCHES, *(s.watches for s in _SOURCES.values()))


@contextmanager
def reading():
    """Share the sources' reads (`shared`) inside the block; an outer block's reads are kept."""
    token = _READS.set({}) if _READS.get() is None else None
    try:
        yield
    finally:
        if token is not None:
            _READS.reset(token)


def shared(read: Callable, *args):
    """Return read(*args), read once per collect: the sources (and people) asking the same share the rows."""
    memo = _READS.get()
    if memo is None:
        return read(*args)
    key = (read, args)
    if key not in memo:
        memo[key] = read(*args)
    return memo[key]


def gathered(person) -> tuple[int, ...]:
    """Return the ids of everyone this collect gathers for (the person alone, or the hall's people)."""
    return _PEOPLE.get() or (person.id,)


def collect(person, hall_id: int | None = None, now: datetime | None = None, *, desk: bool | None = None,
            shown: bool = True) -> list[Item]:
    """Return what waits for the person now, soonest deadline first (desk: only, or never, desk items).

    With shown=False the items that are not shown yet (their `starts` is still ahead) are returned too.
    """
    hall_id, now = person.hall_id if hall_id is None else hall_id, now or clock.now()
    with reading():
        return _collect(person, hall_id, now, desk, shown)


def collect_hall(hall_id: int, people, now: datetime | None = None) -> dict[int, list[Item]]:
    """Return what waits for each of these people of the hall now, by person id (each source reads once)."""
    now = now or clock.now()
    token = _PEOPLE.set(tuple(sorted(p.id for p in people)))
    try:
        with reading():
            return {p.id: _collect(p, hall_id, now, None, True) for p in people}
    finally:
        _PEOPLE.reset(token)


def _collect(person, hall_id: int, now: datetime, desk: bool | None, shown: bool) -> list[Item]:
    found: list[Item] = []
    at_desk = None
    for source in _SOURCES.values():
        if (desk is not None and source.desk != desk) or (source.roles and not person.roles & source.roles):
            continue
        if source.desk:
            at_desk = holds_desk(person, hall_id, now) if at_desk is None else at_desk
            if not at_desk:
                continue
        found.extend(source.collect(person, hall_id, now))
    visible = [i for i in found if (not shown or i.starts is None or i.starts <= now) and may_open(person, i.link)]
    return sorted(visible, key=lambda i: (i.deadline, i.key))


def find(person, key: str, now: datetime | None = None) -> Item | None:
    """Return the person's item with this key, if it is waiting for them now."""
    return next((i for i in collect(person, now=now) if i.key == key), None)


def may_open(person, link: str) -> bool:
    """Say whether the person's roles let them open the page a link points at."""
    return shared(_may_open, link.split("?", 1)[0], frozenset(person.roles))  # many items share a page


def _may_open(path: str, roles: frozenset) -> bool:
    root = request.script_root if has_request_context() else ""
    if root and path.startswith(root + "/"):
        path = path[len(root):]  # the portal served under a prefix (/halldesk/...)
    try:
        endpoint, _args = current_app.url_map.bind("localhost").match(path)
    except (HTTPException, RequestRedirect):
        return False
    access = access_of(current_app.view_functions.get(endpoint))
    if access in (PUBLIC, SIGNED_IN):
        return True
    return bool(access) and bool(roles & access)
