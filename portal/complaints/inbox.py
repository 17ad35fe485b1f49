"""The complaints inbox sources: cases to send, accept and answer, callbacks due, extensions to decide."""
from datetime import datetime

from flask import url_for

from ..inbox import registry
from ..roles import Role
from . import deadlines, handling, service

WATCHES = ("complaint", "complaint_step")


def init_app(_app) -> None:
    """Register the complaint sources with the inbox."""
    registry.register("complaints.send", to_send, label="投诉待派单", watches=WATCHES)
    registry.register("complaints.accept", to_accept, label="投诉待签收", roles=(Role.WINDOW_LEADER,),
                      watches=WATCHES)
    registry.register("complaints.escalated", escalated, label="投诉超时未签收", roles=(Role.GENERAL_DUTY,),
                      watches=WATCHES)
    registry.register("complaints.reply", to_reply, label="投诉待答复", roles=(Role.WINDOW_LEADER,), watches=WATCHES)
    registry.register("complaints.callback", to_call_back, label="投诉待回访", watches=WATCHES, desk=True)
    registry.register("complaints.extension", to_decide, label="投诉延期待审批", roles=(Role.ADMIN,),
                      watches=WATCHES)


def _cases(hall_id: int):
    """The hall's open cases, read once for every complaint source and person of one collect (no item names
    a case's first owner: only their id is compared, so the owners' rows are not read)."""
    return registry.shared(_open_cases, hall_id)


def _open_cases(hall_id: int):
    return service.cases(hall_id, owners=False)


def _deadlines(case):
    return registry.shared(deadlines.of, case)


def _item(source: str, title: str, case, deadline: datetime, detail: str = "", severity: str = "warn"):
    detail = detail or f"{case.number} {case.kind_label}：{case.text[:40]}"
    return registry.Item(source=source, title=title, detail=detail,
                         link=url_for("complaints.case", case_id=case.id), deadline=deadline,
                         record_type="complaint", record_id=case.id, severity=severity)


def _own_unit(person, case) -> bool:
    return person.department_id is not None and case.unit_id == person.department_id


def to_send(person, hall_id: int, now: datetime) -> list[registry.Item]:
    """Cases waiting with their first-asked owner to be sent to a unit (also after a return)."""
    return [_item("complaints.send", "投诉待派单", c, deadlines.close_of(deadlines.day_of(c.received_at), 0))
            for c in _cases(hall_id) if c.state == "received" and c.first_owner_id == person.id]


def to_accept(person, hall_id: int, now: datetime) -> list[registry.Item]:
    """Cases sent to the person's unit, to accept (签收) or return (退单) in time."""
    return [_item("complaints.accept", "投诉待签收", c, _deadlines(c).accept_by, severity="urgent")
            for c in _cases(hall_id) if c.state == "sent" and _own_unit(person, c)]


def escalated(person, hall_id: int, now: datetime) -> list[registry.Item]:
    """Hand-offs a unit neither accepted nor returned in time, for the general duty leader."""
    return [_item("complaints.escalated", "投诉超时未签收", c, _deadlines(c).accept_by,
                  detail=f"{c.number} 派往{c.unit.name}，超时未签收", severity="urgent")
            for c in _cases(hall_id) if c.state == "sent"
            and any(s.step == "escalated" and s.unit_id == c.unit_id for s in c.steps)]


def to_reply(person, hall_id: int, now: datetime) -> list[registry.Item]:
    """Cases the person's unit handles, to verify and answer by the reply deadline."""
    items = []
    for c in _cases(hall_id):
        due = _deadlines(c).reply_by if c.state == "accepted" and _own_unit(person, c) else None
        if due is not None:
            urged = any(s.step == "urged" and s.round == c.round for s in c.steps)
            items.append(_item("complaints.reply", "投诉已催办" if urged else "投诉待答复", c, due,
                               severity="urgent" if urged else "warn"))
    return items


def to_call_back(person, hall_id: int, now: datetime) -> list[registry.Item]:
    """Replied cases to call back the next working day, for whoever holds the desk."""
    return [_item("complaints.callback", "投诉待回访", c, _deadlines(c).callback_by)
            for c in _cases(hall_id) if c.state == "replied"]


def to_decide(person, hall_id: int, now: datetime) -> list[registry.Item]:
    """Extension requests waiting for the center's decision, before the reply deadline."""
    return [_item("complaints.extension", "投诉延期待审批", c, _deadlines(c).reply_by or now)
            for c in _cases(hall_id) if c.state == "accepted" and handling.extension_pending(c)]
