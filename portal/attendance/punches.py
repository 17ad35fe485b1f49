"""Punches as an import: how a mapped row becomes punches, their key, and the attendance classes."""
import re
from datetime import date, datetime, time

from sqlalchemy import select

from .. import clock
from ..auth.models import User
from ..extensions import db
from ..imports.spec import NEW, Field, ImportSpec, RowError
from ..rulebook import calendar
from .models import DeviceUser, Punch

UNKNOWN_ID = "unknown_id"
OFF_DAY = "off_day"
DIRECTIONS = {"0": "in", "1": "out", "4": "in", "5": "out", "i": "in", "o": "out", "in": "in", "out": "out",
              "上班": "in", "下班": "out", "签到": "in", "签退": "out"}
DIRECTION_LABELS = {"in": "上班", "out": "下班", "": "—"}
NO_PUNCH = {"", "-", "--", "未打卡", "缺卡", "无"}
_DATE = re.compile(r"(\d{2,4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?")
_TIME = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?")

FIELDS = [
    Field("pin", "考勤号（设备用户号/工号）", required=True),
    Field("name", "姓名"),
    Field("datetime", "打卡时间"),
    Field("date", "日期"),
    Field("times", "各次打卡时间（按上班、下班的顺序）", many=True),
    Field("direction", "进出状态"),
    Field("verify", "验证方式"),
    Field("device", "设备"),
]


def _date(text: str) -> date:
    m = _DATE.search(text)
    if not m:
        raise RowError(f"读不出日期“{text}”")
    year = int(m[1]) + (2000 if len(m[1]) == 2 else 0)
    try:
        return date(year, int(m[2]), int(m[3]))
    except ValueError:
        raise RowError(f"日期“{text}”不存在") from None


def _time(text: str) -> time:
    m = _TIME.search(text)
    if not m or int(m[1]) > 23 or int(m[2]) > 59 or int(m[3] or 0) > 59:
        raise RowError(f"读不出时间“{text}”")
    return time(int(m[1]), int(m[2]), int(m[3] or 0))


def moment(text: str, day_text: str = "") -> datetime:
    """Read a punch time: a full date and time, or a time on the row's date."""
    text = text.strip()
    if not _DATE.search(text) and not _TIME.search(text):
        raise RowError(f"读不出打卡时间“{text}”")
    day = _date(text) if _DATE.search(text) else (_date(day_text) if day_text.strip() else None)
    if day is None:
        raise RowError(f"打卡时间“{text}”没有日期，且方案未指定日期列")
    rest = _DATE.sub("", text, count=1)
    return datetime.combine(day, _time(rest))


def parse(values: dict, options: dict) -> list[dict]:
    """Turn one mapped row into its punches (a wide DingTalk day gives several)."""
    pin = values.get("pin", "").strip()
    if not pin:
        raise RowError("考勤号为空")
    if len(pin) > 40:
        raise RowError("考勤号超过 40 个字符")
    times = [(values["datetime"], DIRECTIONS.get(values.get("direction", "").strip().lower(), ""))] \
        if "datetime" in values else [(t, "in" if i % 2 == 0 else "out") for i, t in enumerate(values.get("times", []))]
    if "datetime" not in values and "times" not in values:
        raise RowError("方案没有指定打卡时间所在的列")
    base = {"source": options.get("source", "generic"), "pin": pin, "name": values.get("name", "")[:40],
            "verify": values.get("verify", "")[:16], "device": (values.get("device") or options.get("device", ""))[:40]}
    out = []
    for text, direction in times:
        if text.strip() in NO_PUNCH:
            continue
        at = moment(text, values.get("date", ""))
        if at > clock.local(clock.now()).replace(tzinfo=None):
            raise RowError(f"打卡时间 {at:%Y-%m-%d %H:%M} 晚于现在")
        out.append({**base, "at": at.isoformat(), "direction": direction})
    if not out and "datetime" in values:
        raise RowError("没有打卡时间")
    return out


def key(record: dict) -> str:
    """Key a punch by source, device user id and second: the same punch from a file or a push is one."""
    return f"{record['source']}:{record['pin']}:{record['at']}"


def to_row(record: dict) -> dict:
    """Return a punch's column values."""
    at = datetime.fromisoformat(record["at"])
    return {"source": record["source"], "device_user_id": record["pin"], "name_on_device": record["name"],
            "day": at.date(), "punched_at": at, "direction": record["direction"], "verify": record["verify"],
            "device": record["device"]}


def classify(hall_id: int, records: list[dict]) -> list:
    """Flag punches of unmapped device ids and punches on days the hall is closed (both are kept)."""
    if not records:
        return []
    mapped = {(source, pin): name for source, pin, name in db.session.execute(
        select(DeviceUser.source, DeviceUser.device_user_id, User.name).join(User, DeviceUser.user_id == User.id)
        .where(DeviceUser.hall_id == hall_id))}
    days = [datetime.fromisoformat(r["at"]).date() for r in records]
    open_days = set(calendar.working_days(min(days), max(days)))
    out = []
    for r, day in zip(records, days, strict=True):
        r["person"] = mapped.get((r["source"], r["pin"]), "")  # whose it was when previewed, for the table
        if not r["person"]:
            out.append((UNKNOWN_ID, f"考勤号 {r['pin']} 尚未对应到人员；打卡会保留，对应后计入"))
        elif day not in open_days:
            out.append((OFF_DAY, f"{day:%Y-%m-%d} 不是工作日（休息日或节假日）；打卡会保留"))
        else:
            out.append(None)
    return out


SPEC = ImportSpec(
    kind="punch", label="考勤打卡", fields=FIELDS, model=Punch, parse=parse, key=key, to_row=to_row,
    classify=classify, keep=frozenset({NEW, UNKNOWN_ID, OFF_DAY}),
    class_labels={UNKNOWN_ID: "考勤号未对应", OFF_DAY: "非工作日"},
    columns=[("pin", "考勤号"), ("name", "设备上的姓名"), ("person", "人员"), ("at", "打卡时间"),
             ("direction", "进出")],
    shown={"at": lambda at: at.replace("T", " "), "direction": lambda d: DIRECTION_LABELS.get(d, d)},
)
