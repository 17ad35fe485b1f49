"""Objections (异议) to a published sheet: a unit objects to a line in the period, the supervisor rules."""
from sqlalchemy import select

from .. import clock
from ..extensions import db
from ..scores import service as scores
from ..scores.models import ScoreEvent
from .figures import Line
from .models import PENDING, REJECTED, UPHELD, AssessmentLine, AssessmentMonth, AssessmentObjection, AssessmentSheet
from .months import AssessmentError, in_objection_period, refuse_if_closed
from .store import add_line, restate


def line_of(row: AssessmentMonth, line_id: int) -> tuple[AssessmentLine, AssessmentSheet] | None:
    """Return a line of the month's published sheets and its sheet, or None."""
    found = db.session.execute(select(AssessmentLine, AssessmentSheet).join(
        AssessmentSheet, AssessmentSheet.id == AssessmentLine.sheet_id).where(
        AssessmentLine.id == line_id, AssessmentSheet.month_id == row.id)).first()
    return tuple(found) if found else None


def of_month(row: AssessmentMonth, department_id: int | None = None) -> list[AssessmentObjection]:
    """Return the month's objections (of one unit, if given), oldest first."""
    q = select(AssessmentObjection).where(AssessmentObjection.month_id == row.id)
    if department_id is not None:
        q = q.where(AssessmentObjection.department_id == department_id)
    return db.session.execute(q.order_by(AssessmentObjection.id)).scalars().all()


def describe(objection: AssessmentObjection) -> str:
    """Say in one line who objects to what."""
    return f"{objection.department.name}对“{objection.line.rule}”（{objection.line.centipoints / 100:g} 分）提出异议"


def raise_(row: AssessmentMonth, line_id: int, user, reason: str) -> AssessmentObjection:
    """Record a unit's objection to one line of its own (or its staff's) sheet, within the period."""
    refuse_if_closed(row)
    if not in_objection_period(row):
        until = f"（已于{row.objection_until:%m月%d日}截止）" if row.objection_until else ""
        raise AssessmentError(f"不在异议期内{until}，不能再提出异议", 409)
    found = line_of(row, line_id)
    if found is None or found[1].department_id != user.department_id:
        raise AssessmentError("只能对本单位及本单位人员的考核明细提出异议", 404)
    line, _sheet = found
    if line.event_id is None:
        raise AssessmentError("人员连带扣分随人员的记分变化，请对该人员的那条记分提出异议")
    reason = (reason or "").strip()
    if not reason:
        raise AssessmentError("请填写异议理由")
    if any(o.line_id == line.id and o.state == PENDING for o in of_month(row, user.department_id)):
        raise AssessmentError("这一项已有异议待裁定", 409)
    objection = AssessmentObjection(month_id=row.id, line_id=line.id, department_id=user.department_id,
                                    raised_by_id=user.id, raised_at=clock.now(), reason=reason[:1000])
    db.session.add(objection)
    db.session.flush()
    return objection


def rule(objection: AssessmentObjection, user, upheld: bool, note: str) -> AssessmentObjection:
    """Rule on an objection; an upheld one voids the ledger event and restates the month's sheets."""
    row = db.session.get(AssessmentMonth, objection.month_id)
    refuse_if_closed(row)
    if objection.state != PENDING:
        raise AssessmentError("这条异议已经裁定过了", 409)
    note = (note or "").strip()
    if not note:
        raise AssessmentError("请填写裁定意见")
    objection.state, objection.ruled_by_id = UPHELD if upheld else REJECTED, user.id
    objection.ruled_at, objection.ruling_note = clock.now(), note[:1000]
    if upheld:
        _uphold(objection, row, user, note)
    db.session.flush()
    return objection


def _uphold(objection: AssessmentObjection, row: AssessmentMonth, user, note: str) -> None:
    """Void the line's event in the ledger and put the reversal on the same sheet."""
    line = objection.line
    event = db.session.get(ScoreEvent, line.event_id)
    reversal = scores.void(event, f"考核异议成立：{note}", user)
    db.session.flush()
    objection.reversal_event_id = reversal.id
    add_line(line.sheet_id, Line(line.kind, line.category, reversal.centipoints, reversal.day, reversal.rule,
                                 reversal.source, event_id=reversal.id, evidence=reversal.evidence, origin=line.origin))
    restate(row)
