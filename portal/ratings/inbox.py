"""The ratings inbox sources: a bad-review case waiting for its unit's step, an appeal, an overdue case."""
from dataclasses import dataclass
from datetime import datetime

from flask import url_for
from sqlalchemy import select

from ..extensions import db
from ..inbox import registry
from ..org.models import Department, Window
from ..roles import RATING_CENTER, Role
from .models import LEVELS, OPEN_STATES, REQUESTS, CaseStep, Rating, RatingCase

WAITS = {"verify": "差评待核实", "classify": "差评待分类", "rectify": "差评待整改", "callback": "差评待回访"}
WATCHES = ("rating_case", "rating_case_step")


def init_app(_app) -> None:
    """Register the ratings sources with the inbox."""
    registry.register("ratings.case", unit_cases, label="差评整改", roles=(Role.WINDOW_LEADER,), watches=WATCHES)
    registry.register("ratings.appeal", appeals, label="差评申诉审核", roles=RATING_CENTER, watches=WATCHES)
    registry.register("ratings.request", requests, label="差评整改审批", roles=RATING_CENTER, watches=WATCHES)
    registry.register("ratings.overdue", overdue, label="差评整改逾期", roles=(Role.GENERAL_DUTY,), watches=WATCHES)


@dataclass(frozen=True)
class _Case:
    """What an item says of a case, read as columns (no ORM objects for a list of to-dos)."""

    id: int
    department_id: int
    state: str
    due_at: datetime | None
    pending: str
    department: str
    level: int
    window: int | None
    asked_by: int | None = None  # who asked the pending request

    @property
    def pending_label(self) -> str:
        return REQUESTS.get(self.pending, "")

    def overdue(self, now: datetime) -> bool:
        return self.state in OPEN_STATES and self.due_at is not None and self.due_at < now


def _hall_cases(hall_id: int) -> list[_Case]:
    """The hall's open and appealed cases, soonest deadline first, with who asked each pending request."""
    rows = db.session.execute(
        select(RatingCase.id, RatingCase.department_id, RatingCase.state, RatingCase.due_at, RatingCase.pending,
               Department.name, Rating.level, Window.number)
        .join(Rating, Rating.id == RatingCase.rating_id).join(Department, Department.id == RatingCase.department_id)
        .outerjoin(Window, Window.id == Rating.window_id)
        .where(RatingCase.hall_id == hall_id, RatingCase.state.in_(OPEN_STATES + ("appealed",)))
        .order_by(RatingCase.due_at.is_(None), RatingCase.due_at, RatingCase.id)).all()
    pending = {r[0]: r[4] for r in rows if r[4]}
    asked = {}
    if pending:
        steps = db.session.execute(
            select(CaseStep.case_id, CaseStep.kind, CaseStep.by_id)
            .where(CaseStep.case_id.in_(pending), CaseStep.action == "request").order_by(CaseStep.id)).all()
        asked = {case_id: by_id for case_id, kind, by_id in steps if kind == pending[case_id]}  # the latest
    return [_Case(*r, asked_by=asked.get(r[0])) for r in rows]


def _open(hall_id: int, department_id: int | None = None) -> list[_Case]:
    found = [c for c in registry.shared(_hall_cases, hall_id) if c.state in OPEN_STATES]
    return found if department_id is None else [c for c in found if c.department_id == department_id]


def _item(source: str, case: _Case, title: str, now: datetime, severity: str = "warn") -> registry.Item:
    where = f"{case.window}号窗口" if case.window is not None else "网上评价"
    return registry.Item(
        source=source, title=title, detail=f"{case.department}{where}：{LEVELS[case.level]}",
        link=url_for("ratings.case", case_id=case.id), deadline=case.due_at or now, record_type="rating_case",
        record_id=case.id, severity="urgent" if case.overdue(now) else severity)


def unit_cases(person, hall_id: int, now: datetime) -> list[registry.Item]:
    """The step each open case of the window leader's own unit waits for (谁办理、谁负责)."""
    if person.department_id is None:
        return []
    return [_item("ratings.case", c, WAITS[c.state], now) for c in _open(hall_id, person.department_id)
            if not c.pending]  # a request waits for the center, not for the unit


def appeals(person, hall_id: int, now: datetime) -> list[registry.Item]:
    """Appeals (申诉) waiting for the center's decision."""
    return [_item("ratings.appeal", c, "差评申诉待审核", now)
            for c in registry.shared(_hall_cases, hall_id) if c.state == "appealed"]


def requests(person, hall_id: int, now: datetime) -> list[registry.Item]:
    """Requests (延期, 综合协调, 无法整改) waiting for the center's approval, due by the case's deadline."""
    return [_item("ratings.request", c, f"{c.pending_label}申请待审批", now)
            for c in _open(hall_id) if c.pending and c.asked_by != person.id]  # one never decides one's own request


def overdue(person, hall_id: int, now: datetime) -> list[registry.Item]:
    """Cases past their deadline, shown to the general duty leader (逾期上报)."""
    return [_item("ratings.overdue", c, f"逾期：{WAITS[c.state]}", now, "urgent")
            for c in _open(hall_id) if c.overdue(now)]
