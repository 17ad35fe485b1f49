"""Demo ratings: an evaluator at /evaluator/demo-evaluator-1 for chuangkou's window, a month of ratings, cases."""
import random
from datetime import datetime, timedelta

from sqlalchemy import select

from .. import clock
from ..auth.models import User
from ..extensions import db
from ..org.models import Window
from ..rulebook import calendar
from ..rulebook import service as rules
from . import approvals, cases, evaluator, tags
from .models import BAD_LEVELS, Invitation, Rating

DEMO_TOKEN = "demo-evaluator-1"
WEIGHTS = (50, 30, 12, 5, 3)  # 非常满意 … 非常不满意
# The steps each demo bad review is carried through, so every state of a case is on show.
PATHS = [(), ("verify",), ("verify", "classify"), ("verify", "classify", "rectify"),
         ("verify", "classify", "rectify", "callback"), ("appeal",), ("appeal", "uphold"),
         ("verify", "classify", "extend")]  # an extension waiting for the center's approval


def seed_demo(hall) -> None:
    """Pair the demo evaluator, and rate a month of visits at the first windows with cases in each state."""
    admin = db.session.execute(select(User).where(User.login == "admin")).scalar()
    clerk = db.session.execute(select(User).where(User.login == "chuangkou")).scalar()
    if admin is None or clerk is None or clerk.window_id is None:
        return
    evaluator.create(admin, clerk.window_id, "税务局窗口评价器", token=DEMO_TOKEN)
    rng = random.Random(2026)
    windows = db.session.execute(select(Window).where(Window.hall_id == hall.id).order_by(Window.number)
                                 .limit(12)).scalars().all()
    today = clock.today()
    bad = []
    for day in calendar.working_days(today - timedelta(days=30), today - timedelta(days=1)):
        for window in windows:
            for _ in range(rng.randrange(2, 7)):
                rating = _visit(hall, window, day, rng)
                if rating is not None and rating.bad:
                    bad.append(rating)
    db.session.flush()
    _cases(bad, admin)
    db.session.commit()


def _visit(hall, window, day, rng) -> Rating | None:
    staff_id = window.a_post_id or window.b_post_id
    if staff_id is None:
        return None
    start = datetime.combine(day, rules.get("hours.morning_start"), tzinfo=clock.hall_tz())
    at = start + timedelta(minutes=rng.randrange(0, 420))
    invitation = Invitation(hall_id=hall.id, window_id=window.id, department_id=window.department_id,
                            staff_id=staff_id, invited_at=at, expires_at=at + timedelta(minutes=2), day=day)
    db.session.add(invitation)
    db.session.flush()
    if rng.random() < 0.15:
        return None  # walked away: unrated
    level = rng.choices(range(1, 6), WEIGHTS)[0]
    named = level in BAD_LEVELS and rng.random() < 0.6
    phone = f"139{rng.randrange(10**7, 10**8)}" if named else ""
    rating = Rating(hall_id=hall.id, invitation_id=invitation.id, window_id=window.id,
                    department_id=window.department_id, staff_id=staff_id, level=level,
                    tags=rng.choice(tags.DEFAULT_TAGS) if level in BAD_LEVELS else "",
                    rated_at=at + timedelta(seconds=30), rater_name="张伟" if named else "", rater_phone=phone, day=day)
    db.session.add(rating)
    return rating


def _cases(bad, admin) -> None:
    for n, rating in enumerate(bad):
        case = cases.open_case(rating)
        for step in PATHS[n % len(PATHS)]:
            _do(step, case, admin)


def _do(step, case, admin) -> None:
    if step == "verify":
        cases.verify(admin, case, "经调取录像核实，情况属实")
    elif step == "classify":
        cases.classify(admin, case, "deadline", "涉及流程优化，限期整改")
    elif step == "rectify":
        cases.rectify(admin, case, "已对窗口人员进行提醒谈话，优化了取号流程")
    elif step == "callback" and case.state == "callback":
        cases.callback(admin, case, "电话回访，群众表示满意")
    elif step == "extend":
        approvals.ask(admin, case, "extend", "需协调取号设备厂家更换设备，申请延期")
    elif step == "appeal":
        cases.appeal(admin, case, "群众误操作，窗口申请复核")
    elif step == "uphold":
        cases.decide(admin, case, True, "经复核属误评")
