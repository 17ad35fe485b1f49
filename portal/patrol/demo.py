"""Demo patrols: two weeks of past rounds with findings, so the ledger and the bulletin are not empty."""
import random
from datetime import datetime, timedelta

from sqlalchemy import select

from .. import clock
from ..auth.models import User
from ..extensions import db
from ..org.models import Window
from ..rulebook import calendar
from ..rulebook import service as rules
from . import checklist, service
from .models import PatrolRound, PatrolVisit

NOTES = ["窗口人员在玩手机，已提醒", "台面摆放杂乱", "未佩戴工作证，已当场纠正", "离开窗口十余分钟", ""]


def seed_demo(hall) -> None:
    """Record past patrol rounds over the last two weeks, with a few findings each."""
    rng = random.Random(2026)
    patrollers = [u for u in db.session.execute(select(User).where(User.login.in_(("ducha", "zhiban")))).scalars()]
    windows = db.session.execute(select(Window).where(Window.hall_id == hall.id, Window.active.is_(True))
                                 .order_by(Window.number)).scalars().all()
    if not patrollers or not windows:
        return
    template = checklist.current(hall.id, patrollers[0])
    items = template.items
    today = clock.today()
    days = calendar.working_days(today - timedelta(days=14), today - timedelta(days=1))
    for n, day in enumerate(days):
        for half in ("hours.morning_start", "hours.afternoon_start")[: 1 + (n % 3 != 0)]:
            begin = datetime.combine(day, rules.get(half), tzinfo=clock.hall_tz())
            start = begin + timedelta(minutes=rng.randrange(20, 120))
            _round(hall, rng.choice(patrollers), template, items, day, start, rng.sample(windows, 6), rng)
    db.session.commit()


def _round(hall, user, template, items, day, start, windows, rng) -> None:
    patrol = PatrolRound(hall_id=hall.id, patroller_id=user.id, template_id=template.id, day=day, started_at=start)
    db.session.add(patrol)
    db.session.flush()
    for i, window in enumerate(windows):
        entry = service.Entry("ok")
        if rng.random() < 0.3:
            item = rng.choice(items)
            person = window.a_post_id if item.per_person else None
            if item.per_person and person is None:
                continue
            entry = service.Entry("findings", [(item.id, person)], note=rng.choice(NOTES),
                                  corrected=rng.random() < 0.5)
        visit = service.record_visit(user, patrol, window, entry)
        db.session.get(PatrolVisit, visit.id).at = start + timedelta(minutes=2 * i)  # as if made on the day
    patrol.finished_at = start + timedelta(minutes=25)
