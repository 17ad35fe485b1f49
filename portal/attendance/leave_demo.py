"""Demo leave: requests in each state (waiting at each step, approved, refused, emergency, back), and a 补卡."""
from datetime import date, time

from sqlalchemy import select

from .. import clock
from ..auth.models import User
from ..extensions import db
from ..roles import Role
from ..rulebook import calendar
from . import corrections, leave


def _first(hall_id: int, role: Role, department_id=None):
    people = db.session.execute(select(User).where(User.hall_id == hall_id, User.active.is_(True))
                                .order_by(User.id)).scalars().all()
    return next((p for p in people if p.has_role(role)
                 and (department_id is None or p.department_id == department_id)), None)


def _ask(person, kind, first: date, last: date, reason: str, last_half="pm"):
    return leave.ask(person, person, kind, reason, first, "am", last, last_half)


def seed_leave(hall_id: int, staff: list[User]) -> None:
    """Add leave requests in each state for the demo staff, from the next working days on."""
    general, admin = _first(hall_id, Role.GENERAL_DUTY), _first(hall_id, Role.ADMIN)
    if len(staff) < 6 or general is None or admin is None:
        return
    days = [calendar.next_working_day(clock.today())]
    while len(days) < 4:
        days.append(calendar.next_working_day(days[-1]))
    _ask(staff[0], "personal", days[0], days[0], "家中水管维修")  # waits for the duty director
    long_one = _ask(staff[1], "annual", days[1], days[3], "年休假探亲")  # waits for the unit leader
    unit = _first(hall_id, Role.WINDOW_LEADER, staff[1].department_id)
    mate = next((p for p in staff if p.department_id == staff[1].department_id and p.id != staff[1].id), None)
    if unit is not None and mate is not None:
        leave.decide(unit, long_one.id, True, "已安排顶岗", mate.id)  # now waits for the center director
    leave.decide(general, _ask(staff[2], "sick", days[0], days[0], "门诊复查", "am").id, True)
    leave.decide(general, _ask(staff[3], "personal", days[2], days[2], "办理私事").id, False, "当天窗口人手不足")
    # Phoned in today, or (the demo loaded on a day off) on the last working day before it.
    today = clock.today()
    phoned = (today if calendar.is_working_day(today, hall_id=hall_id)
              else calendar.next_working_day(today, -1, hall_id=hall_id))
    leave.record_emergency(general, staff[4].id, "sick", "突发急病，家属电话请假", phoned, "am", phoned, "pm")
    past = calendar.next_working_day(today, -1)
    corrections.ask(staff[5], past, time(8, 0), "指纹机未识别，有同事证明")
    db.session.commit()
