"""Read and change rulebook values; every other capability reads its numbers here."""
import re
import tomllib
from dataclasses import dataclass, field
from datetime import time
from decimal import Decimal, InvalidOperation
from itertools import pairwise
from pathlib import Path
from time import monotonic

from flask import current_app, g, has_request_context
from sqlalchemy import Integer, literal, select, union_all

from .. import clock
from ..database import write_intended
from ..extensions import db
from . import sums
from .models import HallRuleSetting, RuleChange, RuleOverridable, RuleSetting

WEEKDAYS = {1: "星期一", 2: "星期二", 3: "星期三", 4: "星期四", 5: "星期五", 6: "星期六", 7: "星期日"}


@dataclass(frozen=True)
class Definition:
    """One rulebook key: its label, type, default and limits."""

    key: str
    label: str
    type: str
    default: str
    min: Decimal | None = None
    max: Decimal | None = None
    unit: str = ""
    choices: dict = field(default_factory=dict)

    @property
    def group(self) -> str:
        return self.key.split(".", 1)[0]


def _load_definitions():
    data = tomllib.loads((Path(__file__).with_name("defaults.toml")).read_text(encoding="utf-8"))
    defs = {}
    for key, d in data["settings"].items():
        defs[key] = Definition(
            key=key, label=d["label"], type=d["type"], default=str(d["default"]),
            min=Decimal(str(d["min"])) if "min" in d else None,
            max=Decimal(str(d["max"])) if "max" in d else None,
            unit=d.get("unit", ""), choices=d.get("choices", {}))
    return data["groups"], defs, data.get("order", [])


GROUPS, DEFINITIONS, ORDERS = _load_definitions()


def parse(defn: Definition, raw: str):
    """Turn a stored or typed string into the typed value; raise ValueError with a Chinese message."""
    raw = (raw or "").strip()
    if defn.type in ("int", "number"):
        try:
            number = Decimal(raw)
        except InvalidOperation:
            raise ValueError("请输入数字") from None
        if defn.type == "int" and number != number.to_integral_value():
            raise ValueError("请输入整数")
        if defn.min is not None and number < defn.min:
            raise ValueError(f"不能小于 {defn.min}")
        if defn.max is not None and number > defn.max:
            raise ValueError(f"不能大于 {defn.max}")
        return int(number) if defn.type == "int" else number
    if defn.type == "time":
        m = re.fullmatch(r"(\d{1,2}):(\d{2})", raw)
        if not m or int(m[1]) > 23 or int(m[2]) > 59:
            raise ValueError("请按 时:分 填写，例如 08:30")
        return time(int(m[1]), int(m[2]))
    if defn.type == "monthday":
        m = re.fullmatch(r"(\d{1,2})-(\d{1,2})", raw)
        days = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        if not m or not 1 <= int(m[1]) <= 12 or not 1 <= int(m[2]) <= days[int(m[1]) - 1]:
            raise ValueError("请按 月-日 填写，例如 05-01")
        return (int(m[1]), int(m[2]))
    if defn.type == "weekday":
        if raw not in {str(k) for k in WEEKDAYS}:
            raise ValueError("请选择星期一至星期日")
        return int(raw)
    if defn.type == "choice":
        if raw not in defn.choices:
            raise ValueError("请选择列出的选项之一")
        return raw
    if defn.type == "bool":
        return raw in ("1", "true", "yes", "on")
    raise ValueError("未知的设置类型")


@dataclass(frozen=True)
class Stored:
    """The stored values: the county's by key, the stations' own by (hall, key), the keys open to stations."""

    county: dict
    halls: dict
    open: frozenset


def _stored() -> Stored:
    """Return the stored values: at most one light query per request (every page reads the rulebook).

    A request that only reads may take them from this worker's copy, at most RULEBOOK_CACHE_SECONDS old
    (a change made in this worker clears it at once); a request that writes always reads them afresh, so
    what it records follows the rulebook in force.
    """
    if not has_request_context():
        return _query()
    if "rulebook_values" in g:
        return g.rulebook_values
    ttl = current_app.config.get("RULEBOOK_CACHE_SECONDS", 0)
    shared = current_app.extensions.setdefault("rulebook_cache", {})
    if ttl and not write_intended() and monotonic() - shared.get("at", -ttl) < ttl:
        values = shared["values"]
    else:
        values = _query()
        if ttl:
            shared.update(values=values, at=monotonic())
    g.rulebook_values = values
    return values


def _query() -> Stored:
    # One statement for the three tables: the county's values, the stations' own, the open keys.
    county = select(RuleSetting.key, RuleSetting.value, literal(None, Integer).label("hall_id"),
                    literal("county").label("kind"))
    halls = select(HallRuleSetting.key, HallRuleSetting.value, HallRuleSetting.hall_id, literal("hall"))
    marks = select(RuleOverridable.key, literal(""), literal(None, Integer), literal("open"))
    rows = db.session.execute(union_all(county, halls, marks)).all()
    return Stored(county={k: v for k, v, _h, kind in rows if kind == "county"},
                  halls={(h, k): v for k, v, h, kind in rows if kind == "hall"},
                  open=frozenset(k for k, _v, _h, kind in rows if kind == "open"))


def forget_cached() -> None:
    """Drop this request's and this worker's copy of the values (after a change)."""
    if has_request_context():
        g.pop("rulebook_values", None)
        current_app.extensions.get("rulebook_cache", {}).clear()


def request_hall() -> int | None:
    """Return the hall the request acts in, or None (the county's values) outside a signed-in request."""
    if not has_request_context():
        return None
    user = g.get("_login_user")  # never load the person from here: their loader reads the rulebook
    return user.hall_id if getattr(user, "is_authenticated", False) else None


def source(key: str, hall_id: int | None = None) -> str:
    """Say where the value in force comes from: the station (本站), the county (县级) or the default (默认)."""
    stored, hall_id = _stored(), request_hall() if hall_id is None else hall_id
    if key in stored.open and (hall_id, key) in stored.halls:
        return "hall"
    return "county" if key in stored.county else "default"


SOURCES = {"hall": "本站", "county": "县级", "default": "默认"}


def overridable(key: str) -> bool:
    """Tell whether the county lets each station set this key for itself."""
    return key in _stored().open


def raw_value(key: str, hall_id: int | None = None) -> str:
    """Return the stored string in force for a key in a hall (the request's by default), or its default."""
    stored, hall_id = _stored(), request_hall() if hall_id is None else hall_id
    if key in stored.open and (hall_id, key) in stored.halls:
        return stored.halls[(hall_id, key)]
    value = stored.county.get(key)
    return value if value is not None else DEFINITIONS[key].default


def get(key: str, hall_id: int | None = None):
    """Return the typed value in force for a rulebook key in a hall (the request's hall by default)."""
    return parse(DEFINITIONS[key], raw_value(key, hall_id))


def _order_error(candidate: dict[str, str], hall_id: int | None) -> str | None:
    for order in ORDERS:
        values = [parse(DEFINITIONS[k], candidate.get(k, raw_value(k, hall_id))) for k in order["keys"]]
        pairs = pairwise(values)
        if any((a >= b) if order.get("strict") else (a > b) for a, b in pairs):
            return order["message"]
    return None


def is_station(hall_id: int) -> bool:
    """Tell whether the hall sits under another (a station keeps own values only for open keys)."""
    hall = db.metadata.tables["hall"]
    return db.session.execute(select(hall.c.parent_id).where(hall.c.id == hall_id)).scalar() is not None


def change(key: str, raw: str, user, reason: str = "") -> str | None:
    """Validate and store a new value, in the county's or the person's station's rulebook; or a Chinese error."""
    defn = DEFINITIONS.get(key)
    if defn is None:
        return "没有这项设置"
    try:
        value = parse(defn, raw)
    except ValueError as exc:
        return f"{defn.label}：{exc}"
    text, hall_id = _canonical(defn, value), getattr(user, "hall_id", None)  # None: a command, the county
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


def set_overridable(key: str, open_: bool, user) -> None:
    """Open a key to the stations' own values, or close it (their values stay on record, unused)."""
    row = db.session.get(RuleOverridable, key)
    if open_ and row is None:
        db.session.add(RuleOverridable(key=key, marked_by_id=user.id, marked_at=clock.now()))
    elif not open_ and row is not None:
        db.session.delete(row)
    db.session.commit()
    forget_cached()


def _canonical(defn: Definition, value) -> str:
    if defn.type == "time":
        return value.strftime("%H:%M")
    if defn.type == "monthday":
        return f"{value[0]:02d}-{value[1]:02d}"
    if defn.type == "number":
        return format(value.normalize(), "f")
    if defn.type == "bool":
        return "1" if value else "0"
    return str(value)


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
    """Return the latest changes of the county's values and of this hall's own, newest first."""
    q = (select(RuleChange).where(RuleChange.hall_id.is_(None) | (RuleChange.hall_id == hall_id))
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
