"""Cases as an import (办件导入): how a row of the approval system's export becomes a case report."""
import hashlib
import json
import re
from datetime import date, datetime

from .. import clock
from ..imports.spec import Field, RowError

UPDATED, UNKNOWN_WINDOW, UNKNOWN_PERSON, REPEATED = "updated", "unknown_window", "unknown_person", "repeated"
OPEN_WORDS = {"", "-", "--", "未办结", "办理中", "在办", "无"}
_DATE = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?")
_TIME = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?")

FIELDS = [
    Field("number", "办件编号", required=True),
    Field("item_name", "事项名称"),
    Field("item_code", "事项编码"),
    Field("accepted_at", "受理时间", required=True),
    Field("legal_days", "法定时限（工作日）"),
    Field("promised_days", "承诺时限（工作日）", required=True),
    Field("finished_at", "办结时间（空为未办结）"),
    Field("pause_from", "补正开始日期"),
    Field("pause_to", "补正结束日期"),
    Field("window", "窗口（号或名称）", required=True),
    Field("clerk", "受理人"),
]


def _day(text: str, label: str) -> date:
    m = _DATE.search(text)
    if not m:
        raise RowError(f"{label}“{text}”不是日期")
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        raise RowError(f"{label}“{text}”这一天不存在") from None


def _moment(text: str, label: str) -> datetime:
    day = _day(text, label)
    m = _TIME.search(_DATE.sub("", text, count=1))
    if m and (int(m[1]) > 23 or int(m[2]) > 59):
        raise RowError(f"{label}“{text}”的时间读不出")
    return datetime(day.year, day.month, day.day, int(m[1]), int(m[2]), int(m[3] or 0)) if m else \
        datetime(day.year, day.month, day.day)


def _days(text: str, label: str, required: bool) -> int | None:
    text = text.strip().removesuffix("个工作日").removesuffix("工作日").removesuffix("天").strip()
    if not text:
        if required:
            raise RowError(f"{label}为空")
        return None
    if not text.isdigit():
        raise RowError(f"{label}“{text}”不是整数（工作日数）")
    return int(text)


def parse(values: dict, _options: dict) -> list[dict]:
    """Turn one mapped row into one case report; refuse what cannot be read, with the reason."""
    number = values.get("number", "").strip()
    if not number:
        raise RowError("办件编号为空")
    if len(number) > 60:
        raise RowError("办件编号超过 60 个字符")
    accepted = _moment(values["accepted_at"].strip(), "受理时间")
    if accepted > clock.local(clock.now()).replace(tzinfo=None):
        raise RowError(f"受理时间 {accepted:%Y-%m-%d %H:%M} 晚于现在")
    finished_text = values.get("finished_at", "").strip()
    finished = None if finished_text in OPEN_WORDS else _moment(finished_text, "办结时间")
    if finished is not None and finished < accepted:
        raise RowError("办结时间早于受理时间")
    pause_from = _optional_day(values.get("pause_from", ""), "补正开始日期")
    pause_to = _optional_day(values.get("pause_to", ""), "补正结束日期")
    if pause_to and (not pause_from or pause_to < pause_from):
        raise RowError("补正结束日期早于开始日期，或没有开始日期")
    window = values.get("window", "").strip()
    if not window:
        raise RowError("窗口为空")
    return [{"number": number, "item_name": values.get("item_name", "")[:120],
             "item_code": values.get("item_code", "")[:60], "accepted_at": accepted.isoformat(),
             "legal_days": _days(values.get("legal_days", ""), "法定时限", False),
             "promised_days": _days(values.get("promised_days", ""), "承诺时限", True),
             "finished_at": finished.isoformat() if finished else "",
             "pause_from": pause_from.isoformat() if pause_from else "",
             "pause_to": pause_to.isoformat() if pause_to else "",
             "window": window[:80], "clerk": values.get("clerk", "").strip()[:40]}]


def _optional_day(text: str, label: str) -> date | None:
    text = text.strip()
    return None if text in OPEN_WORDS else _day(text, label)


STATE_FIELDS = ("item_name", "item_code", "accepted_at", "legal_days", "promised_days", "finished_at",
                "pause_from", "pause_to", "window", "clerk")


def key(record: dict) -> str:
    """Key a report by the case number and a digest of its state: the same state twice is one report."""
    state = json.dumps([record[f] for f in STATE_FIELDS], ensure_ascii=False)
    return f"{record['number']}#{hashlib.sha256(state.encode()).hexdigest()[:16]}"


def to_row(record: dict) -> dict:
    """Return a report's column values."""
    def day(text):
        return date.fromisoformat(text) if text else None
    return {"number": record["number"], "item_name": record["item_name"], "item_code": record["item_code"],
            "accepted_at": datetime.fromisoformat(record["accepted_at"]), "legal_days": record["legal_days"],
            "promised_days": record["promised_days"],
            "finished_at": datetime.fromisoformat(record["finished_at"]) if record["finished_at"] else None,
            "pause_from": day(record["pause_from"]), "pause_to": day(record["pause_to"]),
            "window_id": record["window_id"], "clerk_id": record.get("clerk_id"), "clerk_name": record["clerk"]}
