"""Read and change rulebook values; every other capability reads its numbers here."""
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cache
from itertools import pairwise
from time import monotonic

from flask import current_app, g, has_request_context
from sqlalchemy import Integer, String, cast, literal, select, union_all

from .. import clock, signals
from ..database import write_intended
from ..extensions import db
from . import sums
from .models import HallRuleSetting, RuleChange, RuleOverridable, RuleSetting
from .values import DEFINITIONS, GROUPS, ORDERS, WEEKDAYS, Definition, canonical, parse, table  # noqa: F401


@dataclass(frozen=True)
class Stored:
    """The stored values: the county's by key, the halls' own by (hall, key), the keys open to stations, the tree."""

    county: dict
    halls: dict
    open: frozenset
    parents: dict = field(default_factory=dict)  # hall id -> its parent's id (None at the top)
    names: dict = field(default_factory=dict)  # hall id -> name, to say whose value a hall inherits
    # (key, hall id) -> the typed value in force: a pure function of this snapshot, worked out once
    # (a poll reads three values, a page dozens; each read walked the hall tree and parsed the text).
    typed: dict = field(default_factory=dict, compare=False, repr=False)


def _stored(copy_ok: bool = False) -> Stored:
    """Return the stored values: at most one light query per request (every page reads the rulebook).

    A request that only reads may take them from this worker's copy, at most RULEBOOK_CACHE_SECONDS old
    (a change made in this worker clears it at once); a request that writes always reads them afresh, so
    what it records follows the rulebook in force; copy_ok: a value it records nothing by may be the copy's.
    """
    if not has_request_context():
        return _query()
    if "rulebook_values" in g:
        return g.rulebook_values
    ttl = current_app.config.get("RULEBOOK_CACHE_SECONDS", 0)
    shared = current_app.extensions.setdefault("rulebook_cache", {})
    fresh = ttl and monotonic() - shared.get("at", -ttl) < ttl
    if fresh and copy_ok:
        return shared["values"]  # not kept for the request: what else a write reads comes from the database
    if fresh and not write_intended():
        values = shared["values"]
    else:
        # Read again, unless the change signal vouches that none of its tables changed since the worker's copy
        # was read (on any server): then a write records by the rulebook in force without reading it.
        values = signals.copy("rulebook", RULE_TABLES, _query)
        if ttl:
            shared.update(values=values, at=monotonic())
    g.rulebook_values = values
    return values


RULE_TABLES = ("rule_setting", "hall_rule_setting", "rule_overridable", "hall")  # what _statement() reads


@cache
def _statement():
    # One statement for four tables: the county's values, the halls' own, the open keys and the hall tree
    # (a village room inherits its station's values before the county's). Built once per process.
    county = select(RuleSetting.key, RuleSetting.value, literal(None, Integer).label("hall_id"),
                    literal("county").label("kind"))
    halls = select(HallRuleSetting.key, HallRuleSetting.value, HallRuleSetting.hall_id, literal("hall"))
    marks = select(RuleOverridable.key, literal(""), literal(None, Integer), literal("open"))
    hall = db.metadata.tables["hall"]  # named, not imported: org stands on the rulebook
    tree = select(cast(hall.c.id, String), hall.c.name, hall.c.parent_id, literal("tree"))
    return union_all(county, halls, marks, tree)


# Groups a station never sets for itself: the sign-in and session rules are checked before anyone's hall is
# known (at the sign-in page, while the session's person is loaded), and the star-rating sheet is the
# county's own, by which it scores its stations.
COUNTY_ONLY_GROUPS = ("security", "rating")


def county_only(key: str) -> bool:
    """Tell whether a key may never be opened to the stations' own values."""
    return key.split(".", 1)[0] in COUNTY_ONLY_GROUPS


def _query() -> Stored:
    rows = db.session.execute(_statement()).all()
    return Stored(county={k: v for k, v, _h, kind in rows if kind == "county"},
                  halls={(h, k): v for k, v, h, kind in rows if kind == "hall"},
                  open=frozenset(k for k, _v, _h, kind in rows if kind == "open" and not county_only(k)),
                  parents={int(k): h for k, _v, h, kind in rows if kind == "tree"},
                  names={int(k): v for k, v, _h, kind in rows if kind == "tree"})


def forget_cached() -> None:
    """Drop this request's and this worker's copy of the values (after a change)."""
    if has_request_context():
        g.pop("rulebook_values", None)
        current_app.extensions.get("rulebook_cache", {}).clear()


_HALL: ContextVar[int | None] = ContextVar("rulebook_hall", default=None)


@contextmanager
def in_hall(hall_id: int | None):
    """Read this hall's rulebook and calendar inside the block (a command that works hall by hall)."""
    token = _HALL.set(hall_id)
    try:
        yield
    finally:
        _HALL.reset(token)


def request_hall() -> int | None:
    """Return the hall being read for: in_hall()'s, the request's, or None (the county's) outside both."""
    if _HALL.get() is not None:
        return _HALL.get()
    if not has_request_context():
        return None
    user = g.get("_login_user")  # never load the person from here: their loader reads the rulebook
    return user.hall_id if getattr(user, "is_authenticated", False) else None


def lineage(hall_id: int | None) -> list[int]:
    """Return the hall and the halls above it, nearest first (a room, its station, the county)."""
    parents, out = _stored().parents, []
    while hall_id is not None and hall_id not in out:
        out.append(hall_id)
        hall_id = parents.get(hall_id)
    return out


def _holder(key: str, hall_id: int | None) -> int | None:
    """Return the hall whose own value is in force for the key (itself or the nearest station above), or None."""
    stored = _stored()
    if key not in stored.open:
        return None
    return next((h for h in lineage(hall_id) if (h, key) in stored.halls), None)


def source(key: str, hall_id: int | None = None) -> str:
    """Say where the value in force comes from: the hall (本站), a station above it, the county or the default."""
    hall_id = request_hall() if hall_id is None else hall_id
    holder = _holder(key, hall_id)
    if holder is not None:
        return "hall" if holder == hall_id else "parent"
    return "county" if key in _stored().county else "default"


def source_label(key: str, hall_id: int | None = None) -> str:
    """Name where the value in force comes from, as the rulebook page shows it (e.g. 上级：城关镇便民服务站)."""
    hall_id = request_hall() if hall_id is None else hall_id
    kind = source(key, hall_id)
    if kind == "parent":
        return f"{SOURCES[kind]}：{_stored().names.get(_holder(key, hall_id), '')}"
    return SOURCES[kind]


SOURCES = {"hall": "本站", "parent": "上级", "county": "县级", "default": "默认"}


def overridable(key: str) -> bool:
    """Tell whether the county lets each station set this key for itself."""
    return key in _stored().open


def raw_value(key: str, hall_id: int | None = None) -> str:
    """Return the stored string in force for a key in a hall (the request's by default), or its default.

    The hall's own value if the key is open, else the nearest station's above it, else the county's.
    """
    stored, hall_id = _stored(), request_hall() if hall_id is None else hall_id
    holder = _holder(key, hall_id)
    if holder is not None:
        return stored.halls[(holder, key)]
    value = stored.county.get(key)
    return value if value is not None else DEFINITIONS[key].default


def get(key: str, hall_id: int | None = None, *, recorded: bool = True):
    """Return the typed value in force for a rulebook key in a hall (the request's hall by default).

    recorded=False: nothing the request saves follows from the value (a flood limit), so a write may take
    it from this worker's copy, as a read does (at most RULEBOOK_CACHE_SECONDS old).
    """
    hall_id = request_hall() if hall_id is None else hall_id
    typed = _stored(copy_ok=not recorded).typed
    try:
        return typed[(key, hall_id)]
    except KeyError:
        value = typed[(key, hall_id)] = parse(DEFINITIONS[key], raw_value(key, hall_id))
        return value  # every parsed type (int, Decimal, time, tuple, str, bool) is immutable


def _order_error(candidate: dict[str, str], hall_id: int | None) -> str | None:
    for order in ORDERS:
        values = [parse(DEFINITIONS[k], candidate.get(k, raw_value(k, hall_id))) for k in order["keys"]]
        pairs = pairwise(values)
        if any((a >= b) if order.get("strict") else (a > b) for a, b in pairs):
            return order["message"]
    return None


def is_station(hall_id: int) -> bool:
    """Tell whether the hall sits under another (a station keeps own values only for open keys)."""
    return _stored().parents.get(hall_id) is not None


def change(key: str, raw: str, user, reason: str = "") -> str | None:
    """Validate and store a new value, in the county's or the person's station's rulebook; or a Chinese error."""
    defn = DEFINITIONS.get(key)
    if defn is None:
        return "没有这项设置"
    try:
        value = parse(defn, raw)
    except ValueError as exc:
        return f"{defn.label}：{exc}"
    text, hall_id = canonical(defn, value), getattr(user, "hall_id", None)  # None: a command, the county
    station = hall_id is not None and is_station(hall_id)
    if station and not overridable(key):
        return f"{defn.label}：由县级统一设置，本站不能修改"
    error = _order_error({key: text}, hall_id) or sums.error({key: text}, lambda k: raw_value(k, hall_id))
    if error:
        return error
    old = raw_value(key, hall_id)
    if text == old:
        return None
    row = (db.session.get(HallRuleSetting, (hall_id, key)) or HallRuleSetting(hall_id=hall_id, key=key, version=0)
           if station else db.session.get(RuleSetting, key) or RuleSetting(key=key, version=0, value=old))
    moment = clock.now()
    row.version += 1
    row.value, row.changed_by_id, row.changed_at = text, user.id, moment
    db.session.add(row)
    db.session.add(RuleChange(key=key, hall_id=hall_id if station else None, old_value=old, new_value=text,
                              version=row.version, reason=reason, changed_by_id=user.id, changed_at=moment))
    db.session.commit()
    forget_cached()
    return None


def set_overridable(key: str, open_: bool, user) -> str | None:
    """Open a key to the stations' own values, or close it (their values stay on record, unused); or an error."""
    if open_ and county_only(key):
        return f"{DEFINITIONS[key].label}：由县级统一设置，不能交给各站修改"
    row = db.session.get(RuleOverridable, key)
    if open_ and row is None:
        db.session.add(RuleOverridable(key=key, marked_by_id=user.id, marked_at=clock.now()))
    elif not open_ and row is not None:
        db.session.delete(row)
    db.session.commit()
    forget_cached()
    return None


def display(key: str, hall_id: int | None = None) -> str:
    """Return the value in force as a person reads it."""
    defn = DEFINITIONS[key]
    raw = raw_value(key, hall_id)
    if defn.type == "choice":
        return defn.choices.get(raw, raw)
    if defn.type == "weekday":
        return WEEKDAYS.get(int(raw), raw)
    return f"{raw} {defn.unit}".strip()


def history(hall_id: int, key: str | None = None, limit: int = 200):
    """Return the latest changes of the county's values and of this hall's and its stations' own, newest first."""
    q = (select(RuleChange).where(RuleChange.hall_id.is_(None) | RuleChange.hall_id.in_(lineage(hall_id)))
         .order_by(RuleChange.id.desc()).limit(limit))
    if key:
        q = q.where(RuleChange.key == key)
    return db.session.execute(q).scalars().all()


def grouped():
    """Return the definitions grouped for the settings page."""
    out = {name: [] for name in GROUPS}
    for defn in DEFINITIONS.values():
        out.setdefault(defn.group, []).append(defn)
    return [(group, GROUPS.get(group, group), defs) for group, defs in out.items() if defs]


def office_hours(day) -> dict[str, tuple]:
    """Return the day's office hours by half day ({"am": (start, end), "pm": (start, end)}), summer-aware."""
    start, end = get("hours.summer_from"), get("hours.summer_to")
    summer = start <= (day.month, day.day) <= end
    prefix = "hours.summer_afternoon" if summer else "hours.afternoon"
    return {"am": (get("hours.morning_start"), get("hours.morning_end")),
            "pm": (get(f"{prefix}_start"), get(f"{prefix}_end"))}
