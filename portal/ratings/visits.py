"""One visit, one rating (一次一评): the clerk invites, the evaluator at the window rates."""
import re
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import case, select
from sqlalchemy.exc import IntegrityError

from .. import clock
from ..database import insert
from ..extensions import db
from ..org.models import Window
from ..rulebook import service as rules
from . import cases, tags
from .evaluator import EvaluatorError
from .models import BAD_LEVELS, LEVELS, Evaluator, Invitation, Rating, TapCount

PHONE = re.compile(r"1\d{10}|0\d{2,3}-?\d{7,8}")
TEXT_MAX, NAME_MAX = 200, 20


def clerk_window(user) -> Window | None:
    """Return the window the person serves at, if they have one in this hall."""
    window = db.session.get(Window, user.window_id) if user.window_id else None
    return window if window is not None and window.hall_id == user.hall_id and window.active else None


def invite(user) -> Invitation:
    """Invite a rating of the visit the clerk just served; an earlier unrated one stays unrated."""
    window = clerk_window(user)
    if window is None:
        raise EvaluatorError("您还没有分配窗口，不能邀请评价", 409)
    now = clock.now()
    invitation = Invitation(hall_id=user.hall_id, window_id=window.id, department_id=window.department_id,
                            staff_id=user.id, invited_at=now, day=clock.local(now).date(),
                            expires_at=now + timedelta(seconds=rules.get("evaluation.invitation_seconds")))
    db.session.add(invitation)
    db.session.flush()
    return invitation


def recent(window_id: int, limit: int = 10) -> list[tuple[Invitation, Rating | None]]:
    """Return the window's latest invitations with their ratings, newest first."""
    rows = db.session.execute(select(Invitation, Rating).outerjoin(Rating, Rating.invitation_id == Invitation.id)
                              .where(Invitation.window_id == window_id)
                              .order_by(Invitation.id.desc()).limit(limit)).all()
    return [(i, r) for i, r in rows]


@dataclass
class Answer:
    """What a rater gave on the evaluator."""

    level: str
    tags: list[str] = field(default_factory=list)
    text: str = ""
    name: str = ""
    phone: str = ""


def _count_tap(device_id: int, minute: int):
    """Build the one statement that counts a tap in the device's minute and returns the minute's taps."""
    return (insert(TapCount).values(evaluator_id=device_id, minute=minute, taps=1)
            .on_conflict_do_update(index_elements=[TapCount.evaluator_id], set_={
                "minute": minute, "taps": case((TapCount.minute == minute, TapCount.taps + 1), else_=1)})
            .returning(TapCount.taps))


def count_tap(device_id: int) -> None:
    """Count a tap of the device in its minute, for every app server; refuse it past the rulebook's limit.

    The count is part of the tap's transaction: the caller commits it whatever the tap's fate (a refused
    tap's own work is undone in a savepoint), so a flood of bad taps is counted as much as good ones.
    """
    minute = int(clock.now().timestamp()) // 60
    taps = db.session.execute(_count_tap(device_id, minute)).scalar_one()
    if taps > rules.get("evaluation.taps_per_minute"):
        raise EvaluatorError("操作过于频繁，请稍后再试", 429)


def level_of(raw: str) -> int:
    """Return the level a tap names, refusing anything but the five levels."""
    if not (raw or "").isdigit() or int(raw) not in LEVELS:
        raise EvaluatorError("评价等级无效，请重新选择", 422)
    return int(raw)


def waiting(device: Evaluator, invitation_id) -> Invitation:
    """Return the invitation the device may rate now, or refuse it (expired, superseded or rated)."""
    invitation = db.session.get(Invitation, int(invitation_id)) if str(invitation_id).isdigit() else None
    if invitation is None or invitation.window_id != device.window_id:
        raise EvaluatorError("本次评价邀请无效", 409)
    newer = db.session.execute(select(Invitation.id).where(Invitation.window_id == device.window_id,
                                                           Invitation.id > invitation.id).limit(1)).first()
    if db.session.execute(select(Rating.id).where(Rating.invitation_id == invitation.id)).first():
        raise EvaluatorError("这次服务已经评价过了，感谢您的参与", 409)
    if newer or invitation.expires_at <= clock.now():
        raise EvaluatorError("本次评价邀请已过期，请向窗口工作人员重新申请评价", 409)
    return invitation


def rate(device: Evaluator, invitation_id, answer: Answer) -> Rating:
    """Record the rating of a visit once; a bad one opens its rectification case."""
    level = level_of(answer.level)
    invitation = waiting(device, invitation_id)
    tag_set = tags.current(device.hall_id) if level in BAD_LEVELS else None  # a good level has no tags
    chosen = _tags(answer.tags, tag_set, level)
    text, name, phone = (answer.text or "").strip(), (answer.name or "").strip(), (answer.phone or "").strip()
    if len(text) > TEXT_MAX or len(name) > NAME_MAX:
        raise EvaluatorError(f"意见不超过 {TEXT_MAX} 个字，姓名不超过 {NAME_MAX} 个字", 422)
    if phone and not PHONE.fullmatch(phone):
        raise EvaluatorError("请填写正确的手机号或座机号，或留空", 422)
    now = clock.now()
    rating = Rating(hall_id=device.hall_id, invitation_id=invitation.id, channel="window",
                    window_id=invitation.window_id, department_id=invitation.department_id,
                    staff_id=invitation.staff_id, level=level, tags="\n".join(chosen),
                    tag_set_id=getattr(tag_set, "id", None), text=text if level in BAD_LEVELS else "",
                    rater_name=name, rater_phone=phone, rated_at=now, day=invitation.day)
    try:
        with db.session.begin_nested():
            db.session.add(rating)
    except IntegrityError:  # a second tap of the same visit at the same moment
        raise EvaluatorError("这次服务已经评价过了，感谢您的参与", 409) from None
    if rating.bad:
        cases.open_case(rating)
    return rating


def _tags(chosen: list[str], tag_set, level: int) -> list[str]:
    if level not in BAD_LEVELS:
        return []
    allowed = tag_set.tag_list
    chosen = [t for t in dict.fromkeys(chosen or []) if t]
    if any(t not in allowed for t in chosen):
        raise EvaluatorError("所选评价指标无效，请重新选择", 422)
    return chosen
