"""Which leave requests a person sees: their own, those waiting for their decision, their unit's or the hall's."""
from sqlalchemy import select

from ..auth.models import User
from ..duty import service as duty
from ..extensions import db
from ..roles import ATTENDANCE_KEEPERS, DESK, Role
from . import leave
from .leave_models import LeaveRequest

RECENT = 50  # requests listed for a unit or the hall; older ones are on the month sheet


def people(hall_id: int) -> list[User]:
    """Return the hall's active staff of a department, by name."""
    return db.session.execute(select(User).where(User.hall_id == hall_id, User.active.is_(True),
                                                 User.department_id.is_not(None)).order_by(User.name)).scalars().all()


def colleagues(row: LeaveRequest) -> list[User]:
    """Return who may stand in at the window (the unit's other active people)."""
    return [p for p in people(row.hall_id) if p.department_id == row.department_id and p.id != row.user_id]


def of_person(user_id: int) -> list[LeaveRequest]:
    """Return a person's own requests, newest first."""
    return db.session.execute(select(LeaveRequest).where(LeaveRequest.user_id == user_id)
                              .order_by(LeaveRequest.first_day.desc(), LeaveRequest.id.desc())).scalars().all()


def pending(hall_id: int) -> list[LeaveRequest]:
    """Return the hall's requests still in their chain, oldest first."""
    return db.session.execute(select(LeaveRequest).where(LeaveRequest.hall_id == hall_id,
                                                         LeaveRequest.state == "pending")
                              .order_by(LeaveRequest.id)).scalars().all()


def waiting_for(user) -> list[LeaveRequest]:
    """Return the requests whose current step this person decides."""
    return [r for r in pending(user.hall_id) if leave.may_decide(user, r)]


def recent(user) -> list[LeaveRequest]:
    """Return the latest requests of the hall (keepers, the desk) or of a window leader's department."""
    q = select(LeaveRequest).where(LeaveRequest.hall_id == user.hall_id)
    if not user.has_role(*ATTENDANCE_KEEPERS, *DESK):
        if not user.has_role(Role.WINDOW_LEADER):
            return []
        q = q.where(LeaveRequest.department_id == user.department_id)
    return db.session.execute(q.order_by(LeaveRequest.id.desc()).limit(RECENT)).scalars().all()


def may_see(user, row: LeaveRequest) -> bool:
    """Say whether this person may open the request."""
    if user.id == row.user_id or user.has_role(*ATTENDANCE_KEEPERS, Role.GENERAL_DUTY):
        return True
    if user.has_role(Role.WINDOW_LEADER) and user.department_id == row.department_id:
        return True
    return any(leave.may_decide(user, row, s) for s in leave.CHAINS[row.chain]) or duty.may_run_desk(user)
