"""Rulebook keys and their values as text: definitions from defaults.toml, parsing and the canonical form."""
import re
import tomllib
from dataclasses import dataclass, field
from datetime import time
from decimal import Decimal, InvalidOperation
from pathlib import Path

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


_DEFAULTS = tomllib.loads((Path(__file__).with_name("defaults.toml")).read_text(encoding="utf-8"))


def _load_definitions():
    data = _DEFAULTS
    defs = {}
    for key, d in data["settings"].items():
        defs[key] = Definition(
            key=key, label=d["label"], type=d["type"], default=str(d["default"]),
            min=Decimal(str(d["min"])) if "min" in d else None,
            max=Decimal(str(d["max"])) if "max" in d else None,
            unit=d.get("unit", ""), choices=d.get("choices", {}))
    return data["groups"], defs, data.get("order", [])


GROUPS, DEFINITIONS, ORDERS = _load_definitions()


def table(name: str) -> dict:
    """Return a structured table of defaults.toml as written there (e.g. the assessment's schemes)."""
    return _DEFAULTS.get(name, {})


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


def canonical(defn: Definition, value) -> str:
    """Return the stored text of a typed value."""
    if defn.type == "time":
        return value.strftime("%H:%M")
    if defn.type == "monthday":
        return f"{value[0]:02d}-{value[1]:02d}"
    if defn.type == "number":
        return format(value.normalize(), "f")
    if defn.type == "bool":
        return "1" if value else "0"
    return str(value)
