"""Short leave (临时外出): slips approved at the desk, the B post covering, and the return."""
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from .. import clock
from ..auth.models import User
from ..extensions import db
from ..records import hall_record
from ..rulebook import service as rules
from ..scores import service as scores
from .models import ShortLeave
from .service import DutyError, bump


def limit_minutes() -> int:
    """Return the longest leave the duty leader may approve."""
    return rules.get("attendance.duty_leave_minutes")


def grant(approver, user_id, minutes, reason: str) -> ShortLeave:
    """Approve a short leave starting now; the other post of the window covers."""
    person = db.session.get(User, int(user_id)) if str(user_id or "").isdigit() else None
    if person is None or person.hall_id != approver.hall_id or not person.active:
        raise DutyError("请选择外出的工作人员")
    try:
        minutes = int(minutes)
    except (TypeError, ValueError):
        raise DutyError("请填写外出时长（分钟）") from None
    if minutes <= 0:
        raise DutyError("外出时长须大于 0")
    if minutes > limit_minutes():
        raise DutyError(f"临时外出不能超过 {limit_minutes()} 分钟，更长的请走请假审批")
    if not (reason or "").strip():
        raise DutyError("请填写外出事由")
    if out_now(approver.hall_id, person.id):
        raise DutyError(f"{person.name}已有一张未销假的外出单")
    now, window = clock.now(), person.window
    cover = None
    if window is not None:
        cover = window.b_post_id if window.a_post_id == person.id else window.a_post_id
    slip = ShortLeave(hall_id=approver.hall_id, day=clock.today(), user_id=person.id,
                      window_id=window.id if window else None, covered_by_id=cover, reason=reason.strip()[:200],
                      out_at=now, due_at=now + timedelta(minutes=minutes), approved_by_id=approver.id)
    db.session.add(slip)
    bump(approver.hall_id)
    return slip


def parse_time(raw: str, day: date) -> datetime | None:
    """Read an HH:MM time of a day; empty means now."""
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        t = time.fromisoformat(raw)
    except ValueError:
        raise DutyError("请按 时:分 填写返回时间，例如 10:30") from None
    return datetime.combine(day, t, tzinfo=clock.hall_tz())


def record_return(user, slip_id: int, raw_time: str = "") -> ShortLeave:
    """Record that a person is back (销假); a return before the departure is refused."""
    slip = hall_record(ShortLeave, slip_id, hall_id=user.hall_id)
    if slip.returned_at is not None:
        raise DutyError("已经登记过返回", 409)
    at = parse_time(raw_time, clock.local(slip.out_at).date()) or clock.now()
    if at < slip.out_at:
        raise DutyError("返回时间不能早于外出时间")
    if at > clock.now() + timedelta(minutes=1):
        raise DutyError("返回时间不能晚于现在")
    slip.returned_at, slip.returned_recorded_by_id = at, user.id
    bump(user.hall_id)
    return slip


def _query(hall_id: int):
    return select(ShortLeave).where(ShortLeave.hall_id == hall_id).options(
        selectinload(ShortLeave.user), selectinload(ShortLeave.covered_by), selectinload(ShortLeave.window))


def out_now(hall_id: int, user_id: int | None = None) -> list[ShortLeave]:
    """Return the slips not yet returned (all days), oldest first."""
    q = _query(hall_id).where(ShortLeave.returned_at.is_(None), ShortLeave.closed_at.is_(None))
    if user_id:
        q = q.where(ShortLeave.user_id == user_id)
    return db.session.execute(q.order_by(ShortLeave.out_at)).scalars().all()


def of_day(hall_id: int, day: date) -> list[ShortLeave]:
    """Return a day's slips, for the sheet the center office keeps."""
    return db.session.execute(_query(hall_id).where(ShortLeave.day == day).order_by(ShortLeave.out_at)).scalars().all()


def is_overdue(slip: ShortLeave, now: datetime | None = None) -> bool:
    """Say whether a person is not back by the time the slip allowed."""
    end = slip.returned_at or slip.closed_at or (now or clock.now())
    return end > slip.due_at


def close_overrun(day: date) -> list[str]:
    """Close every slip of the day (or before) still open as overrun, charging the person and the unit once."""
    slips = db.session.execute(select(ShortLeave).where(
        ShortLeave.day <= day, ShortLeave.returned_at.is_(None), ShortLeave.closed_at.is_(None))
        .options(selectinload(ShortLeave.user)).order_by(ShortLeave.id)).scalars().all()
    lines = []
    for slip in slips:
        slip.closed_at = clock.now()
        with rules.in_hall(slip.hall_id):  # a station's own points, outside a request
            _charge(slip)
        lines.append(f"{slip.day} {slip.user.name}外出未销假，按超假处理")
        bump(slip.hall_id)
    db.session.commit()
    return lines


def _charge(slip: ShortLeave) -> None:
    """Record an overrun leave against the person and their unit, by the rulebook's points (once each)."""
    person, rule = slip.user, "临时外出超时未销假（超假）"
    note = f"{clock.local(slip.out_at):%m-%d %H:%M} 外出，应 {clock.local(slip.due_at):%H:%M} 返回，至日终未销假"
    scores.record(person, points=-rules.get("staff_points.late_early_away"), rule=rule, source="attendance",
                  day=slip.day, note=note, key=f"leave-overrun:{slip.id}:person")
    if person.department is not None:
        scores.record(subject_department=person.department, points=-rules.get("attendance.unit_late_points"),
                      rule=f"{rule}：{person.name}", source="attendance", day=slip.day, note=note,
                      key=f"leave-overrun:{slip.id}:unit")
