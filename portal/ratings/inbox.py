"""The ratings inbox sources: a bad-review case waiting for its unit's step, an appeal, an overdue case."""
from datetime import datetime

from flask import url_for

from ..inbox import registry
from ..roles import RATING_CENTER, Role
from . import approvals, cases

WAITS = {"verify": "差评待核实", "classify": "差评待分类", "rectify": "差评待整改", "callback": "差评待回访"}
WATCHES = ("rating_case", "rating_case_step")


def init_app(_app) -> None:
    """Register the ratings sources with the inbox."""
    registry.register("ratings.case", unit_cases, label="差评整改", roles=(Role.WINDOW_LEADER,), watches=WATCHES)
    registry.register("ratings.appeal", appeals, label="差评申诉审核", roles=RATING_CENTER, watches=WATCHES)
    registry.register("ratings.request", requests, label="差评整改审批", roles=RATING_CENTER, watches=WATCHES)
    registry.register("ratings.overdue", overdue, label="差评整改逾期", roles=(Role.GENERAL_DUTY,), watches=WATCHES)


def _item(source: str, case, title: str, now: datetime, severity: str = "warn") -> registry.Item:
    rating = case.rating
    where = f"{rating.window.number}号窗口" if rating.window else "网上评价"
    return registry.Item(
        source=source, title=title, detail=f"{case.department.name}{where}：{rating.level_label}",
        link=url_for("ratings.case", case_id=case.id), deadline=case.due_at or now, record_type="rating_case",
        record_id=case.id, severity="urgent" if case.overdue(now) else severity)


def unit_cases(person, hall_id: int, now: datetime) -> list[registry.Item]:
    """The step each open case of the window leader's own unit waits for (谁办理、谁负责)."""
    if person.department_id is None:
        return []
    return [_item("ratings.case", c, WAITS[c.state], now) for c in cases.open_cases(hall_id, person.department_id)
            if not c.pending]  # a request waits for the center, not for the unit


def appeals(person, hall_id: int, now: datetime) -> list[registry.Item]:
    """Appeals (申诉) waiting for the center's decision."""
    return [_item("ratings.appeal", c, "差评申诉待审核", now) for c in cases.of_hall(hall_id, states=["appealed"])]


def requests(person, hall_id: int, now: datetime) -> list[registry.Item]:
    """Requests (延期, 综合协调, 无法整改) waiting for the center's approval, due by the case's deadline."""
    return [_item("ratings.request", c, f"{c.pending_label}申请待审批", now)
            for c in approvals.waiting(hall_id, person.id)]  # one never decides one's own request


def overdue(person, hall_id: int, now: datetime) -> list[registry.Item]:
    """Cases past their deadline, shown to the general duty leader (逾期上报)."""
    return [_item("ratings.overdue", c, f"逾期：{WAITS[c.state]}", now, "urgent")
            for c in cases.open_cases(hall_id) if c.overdue(now)]
