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
from sqlalchemy import select

from .. import clock
from ..database import write_intended
from ..extensions import db
from .models import RuleChange, RuleSetting

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


def _stored() -> dict[str, str]:
    """Return the stored values by key: at most one light query per request (every page reads the rulebook).

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


def _query() -> dict[str, str]:
    return dict(db.session.execute(select(RuleSetting.key, RuleSetting.value)).all())


def forget_cached() -> None:
    """Drop this request's and this worker's copy of the values (after a change)."""
    if has_request_context():
        g.pop("rulebook_values", None)
        current_app.extensions.get("rulebook_cache", {}).clear()


def raw_value(key: str) -> str:
    """Return the stored string for a key, or its default."""
    value = _stored().get(key)
    return value if value is not None else DEFINITIONS[key].default


def get(key: str):
    """Return the typed value in force for a rulebook key."""
    return parse(DEFINITIONS[key], raw_value(key))


def _order_error(candidate: dict[str, str]) -> str | None:
    for order in ORDERS:
        values = [parse(DEFINITIONS[k], candidate.get(k, raw_value(k))) for k in order["keys"]]
        pairs = pairwise(values)
        if any((a >= b) if order.get("strict") else (a > b) for a, b in pairs):
            return order["message"]
    return None


def change(key: str, raw: str, user, reason: str = "") -> str | None:
    """Validate and store a new value with its history; return a Chinese error, or None."""
    defn = DEFINITIONS.get(key)
    if defn is None:
        return "没有这项设置"
    try:
        value = parse(defn, raw)
    except ValueError as exc:
        return f"{defn.label}：{exc}"
    text = _canonical(defn, value)
    error = _order_error({key: text})
    if error:
        return error
    old = raw_value(key)
    if text == old:
        return None
    row = db.session.get(RuleSetting, key) or RuleSetting(key=key, version=0, value=old)
    moment = clock.now()
    row.version += 1
    row.value, row.changed_by_id, row.changed_at = text, user.id, moment
    db.session.add(row)
    db.session.add(RuleChange(key=key, old_value=old, new_value=text, version=row.version,
                              reason=reason, changed_by_id=user.id, changed_at=moment))
    db.session.commit()
    forget_cached()
    return None


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


def display(key: str) -> str:
    """Return the value in force as a person reads it."""
    defn = DEFINITIONS[key]
    raw = raw_value(key)
    if defn.type == "choice":
        return defn.choices.get(raw, raw)
    if defn.type == "weekday":
        return WEEKDAYS.get(int(raw), raw)
    return f"{raw} {defn.unit}".strip()


def history(key: str | None = None, limit: int = 200):
    """Return the latest rulebook changes, newest first."""
    q = select(RuleChange).order_by(RuleChange.id.desc()).limit(limit)
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
