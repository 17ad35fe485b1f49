"""Missed-punch corrections (补卡): asked by the person, decided by the duty leader, at most N a month."""
from datetime import date, datetime, time

from sqlalchemy import func, select

from .. import clock
from ..duty import service as duty
from ..extensions import db
from ..records import hall_record
from ..refusals import Refusal
from ..rulebook import calendar
from ..rulebook import service as rules
from .leave_models import PunchCorrection


class CorrectionError(Refusal):
    """A refused 补卡 action; the message is shown to the person."""


def _month_count(user_id: int, day: date) -> int:
    start = day.replace(day=1)
    end = date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return db.session.execute(select(func.count(PunchCorrection.id)).where(
        PunchCorrection.user_id == user_id, PunchCorrection.state != "refused",
        PunchCorrection.day >= start, PunchCorrection.day < end)).scalar_one()


def last_day_to_ask(day: date) -> date:
    """Return the last working day a 补卡 for the day may be asked (the rulebook's working days after it)."""
    return calendar.add_working_days(day, rules.get("attendance.correction_window_days"))


def window_closed(day: date, today: date) -> bool:
    """Say whether a missed punch of the day can no longer be corrected (it is then charged)."""
    return today > last_day_to_ask(day)


def ask(person, day: date, at: time, reason: str) -> PunchCorrection:
    """Ask for a missed punch of a past working day to be corrected, within the rulebook's window."""
    if not (reason or "").strip():
        raise CorrectionError("请填写补卡原因")
    if day > clock.today() or not calendar.is_working_day(day):
        raise CorrectionError("只能为已过去的工作日补卡")
    if window_closed(day, clock.today()):
        raise CorrectionError(f"这天的补卡期限到 {last_day_to_ask(day):%m月%d日} 为止，已过期限，缺卡按规定记分", 409)
    cap = rules.get("attendance.max_corrections_per_month")
    if _month_count(person.id, day) >= cap:
        raise CorrectionError(f"每人每月最多补卡 {cap} 次，本月已用完", 409)
    row = PunchCorrection(hall_id=person.hall_id, user_id=person.id, day=day, punched_at=datetime.combine(day, at),
                          reason=reason.strip()[:300], created_at=clock.now())
    db.session.add(row)
    db.session.flush()
    return row


def decide(user, correction_id: int, approve: bool) -> PunchCorrection:
    """Approve or refuse a 补卡 request: the duty leader holding the desk decides."""
    row = hall_record(PunchCorrection, correction_id, hall_id=user.hall_id)
    if row.state != "pending":
        raise CorrectionError("这条补卡申请已经处理过了", 409)
    if user.id == row.user_id or not duty.may_run_desk(user):
        raise CorrectionError("补卡由当天值班长审批", 403)
    row.state, row.decided_by_id, row.decided_at = ("approved" if approve else "refused"), user.id, clock.now()
    return row


def pending(hall_id: int) -> list[PunchCorrection]:
    """Return the hall's 补卡 requests waiting for the duty leader, oldest first."""
    return db.session.execute(select(PunchCorrection).where(
        PunchCorrection.hall_id == hall_id, PunchCorrection.state == "pending")
        .order_by(PunchCorrection.id)).scalars().all()


def pending_days(hall_id: int, first: date, last: date) -> set[tuple[int, date]]:
    """Return (user_id, day) of the 补卡 requests still waiting in the range: their missed punch is not charged yet."""
    return set(db.session.execute(select(PunchCorrection.user_id, PunchCorrection.day).where(
        PunchCorrection.hall_id == hall_id, PunchCorrection.state == "pending",
        PunchCorrection.day >= first, PunchCorrection.day <= last)).all())


def of_person(user_id: int) -> list[PunchCorrection]:
    """Return a person's 补卡 requests, newest first."""
    return db.session.execute(select(PunchCorrection).where(PunchCorrection.user_id == user_id)
                              .order_by(PunchCorrection.id.desc())).scalars().all()


def approved_punches(hall_id: int, first: date, last: date, user_ids=None) -> list[tuple]:
    """Return (user_id, day, time) of the approved corrections in the range: they count as punches."""
    q = select(PunchCorrection.user_id, PunchCorrection.day, PunchCorrection.punched_at).where(
        PunchCorrection.hall_id == hall_id, PunchCorrection.state == "approved",
        PunchCorrection.day >= first, PunchCorrection.day <= last)
    if user_ids is not None:
        q = q.where(PunchCorrection.user_id.in_(list(user_ids)))
    return db.session.execute(q).all()
