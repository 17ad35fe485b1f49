"""The case import's classes: new, a state update, unknown window or person, repeated in the file."""
import re

from sqlalchemy import select

from ..auth.models import User
from ..extensions import db
from ..imports.spec import NEW, ImportSpec
from ..org.models import Window
from . import reports
from .models import CaseReport
from .reports import REPEATED, UNKNOWN_PERSON, UNKNOWN_WINDOW, UPDATED

_WINDOW_NUMBER = re.compile(r"^\s*0*(\d+)\s*号?\s*(窗口)?\s*$")


def _windows(hall_id: int) -> tuple[dict, dict]:
    rows = db.session.execute(select(Window.id, Window.number, Window.name, Window.department_id)
                              .where(Window.hall_id == hall_id, Window.active.is_(True))).all()
    return {str(r.number): r for r in rows}, {r.name: r for r in rows}


def window_of(text: str, by_number: dict, by_name: dict):
    """Find the window an export names, by its number (3, 3号, 3号窗口) or its name."""
    m = _WINDOW_NUMBER.match(text)
    return by_number.get(m[1]) if m else by_name.get(text.strip())


def _people(hall_id: int) -> dict:
    found: dict = {}
    for uid, name, dept, login in db.session.execute(select(User.id, User.name, User.department_id, User.login)
                                                     .where(User.hall_id == hall_id, User.active.is_(True))):
        found.setdefault(name, []).append((uid, dept))
        found.setdefault(login, []).append((uid, dept))
    return found


def clerk_of(text: str, window, people: dict) -> int | None:
    """Find the clerk by name or login; a name two people share is read in the window's department."""
    found = people.get(text.strip(), [])
    if len(found) > 1:
        found = [f for f in found if f[1] == window.department_id]
    return found[0][0] if len(found) == 1 else None


def _known_numbers(hall_id: int, numbers: list[str]) -> set[str]:
    found, numbers = set(), list(dict.fromkeys(numbers))
    for i in range(0, len(numbers), 500):
        found.update(db.session.execute(select(CaseReport.number).where(
            CaseReport.hall_id == hall_id, CaseReport.number.in_(numbers[i:i + 500]))).scalars())
    return found


def classify(hall_id: int, records: list[dict]) -> list:
    """Place each case at its window and clerk; say which update a known case and which cannot be placed."""
    by_number, by_name = _windows(hall_id)
    people, known = _people(hall_id), _known_numbers(hall_id, [r["number"] for r in records])
    seen, out = set(), []
    for r in records:
        window = window_of(r["window"], by_number, by_name)
        r["window_id"] = window.id if window else None
        r["clerk_id"] = clerk_of(r["clerk"], window, people) if window and r["clerk"] else None
        out.append(_verdict(r, window, r["number"] in seen, r["number"] in known))
        seen.add(r["number"])
    return out


def _verdict(r: dict, window, repeated: bool, known: bool):
    if window is None:
        return UNKNOWN_WINDOW, f"本厅没有“{r['window']}”窗口；这一行不会保存，请核对窗口号"
    if repeated:
        return REPEATED, f"办件 {r['number']} 在本文件中出现多次，只保存第一次出现的一行"
    if r["clerk"] and r["clerk_id"] is None:
        return UNKNOWN_PERSON, f"受理人“{r['clerk']}”不是本厅人员或重名；办件会保存，不计个人分"
    if known:
        return UPDATED, "已有这个办件，保存为它的最新状态"
    return None


SPEC = ImportSpec(
    kind="case", label="办件", fields=reports.FIELDS, model=CaseReport, parse=reports.parse, key=reports.key,
    to_row=reports.to_row, classify=classify, keep=frozenset({NEW, UPDATED, UNKNOWN_PERSON}),
    class_labels={UPDATED: "状态更新", UNKNOWN_WINDOW: "窗口不存在", UNKNOWN_PERSON: "受理人未对应",
                  REPEATED: "文件内重复"},
    columns=[("number", "办件编号"), ("item_name", "事项"), ("accepted_at", "受理时间"),
             ("promised_days", "承诺时限"), ("finished_at", "办结时间"), ("window", "窗口"), ("clerk", "受理人")],
    shown={"accepted_at": lambda v: v.replace("T", " ")[:16], "finished_at": lambda v: v.replace("T", " ")[:16]},
)
