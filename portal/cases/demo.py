"""Demo cases: a month of the approval system's export for the demo hall, imported with a saved profile."""
import random
from datetime import datetime, time, timedelta

from sqlalchemy import select

from .. import clock
from ..auth.models import User
from ..extensions import db
from ..imports import profiles as saved_profiles
from ..org.models import Window
from ..rulebook import calendar
from . import service
from .profiles import COLUMNS

PROFILE = "示范县审批系统导出"
ITEMS = [("个体工商户设立登记", "330100-001", 3), ("税务登记信息变更", "330100-014", 2),
         ("不动产转移登记", "330100-027", 5), ("社会保障卡补换", "330100-033", 1),
         ("居住证签注", "330100-041", 2), ("住房公积金提取", "330100-052", 3)]
HEADER = list(COLUMNS.values())


def _line(number, item, accepted, promised, finished, window, clerk) -> list[str]:
    name, code, _ = item
    return [number, name, code, f"{accepted:%Y-%m-%d %H:%M}", str(promised * 4), str(promised),
            f"{finished:%Y-%m-%d %H:%M}" if finished else "", "", "", f"{window.number}号窗口", clerk]


def _at(day, rng, hours=(9, 16)) -> datetime:
    return datetime.combine(day, time(rng.randrange(*hours), rng.choice((0, 15, 30, 45))))


def sample_export(windows, people, today, rng) -> bytes:
    """Write a month of cases: finished in time, one on the spot, some open and due soon, two overdue."""
    days = calendar.working_days(today - timedelta(days=31), today - timedelta(days=1))
    lines, n = [], 0
    for day in days:
        for window in rng.sample(windows, 3):
            n += 1
            item = rng.choice(ITEMS)
            due = calendar.add_working_days(day, item[2])
            finish_day = calendar.add_working_days(day, rng.randrange(1, item[2] + 1))
            finished = _at(finish_day, rng, (10, 17)) if due < today and finish_day < today else None
            lines.append(_line(f"SF{day:%Y%m%d}{n:04d}", item, _at(day, rng), item[2], finished, window,
                               people[window.a_post_id]))
    lines[0][6] = lines[0][3][:11] + "16:30"  # taken and finished the same day: on the spot
    for k, window in enumerate(windows[:2]):  # two cases left open well past their promised days
        day = days[3 + k]
        lines.append(_line(f"SF{day:%Y%m%d}OD{k}", ITEMS[3], _at(day, rng), 1, None, window,
                           people[window.a_post_id]))
    return "\n".join(",".join(row) for row in [HEADER, *lines]).encode("utf-8")


def seed_demo(hall) -> None:
    """Save the hall's import profile and import a month of cases through it."""
    admin = db.session.execute(select(User).where(User.login == "admin")).scalar_one_or_none()
    windows = db.session.execute(select(Window).where(Window.hall_id == hall.id, Window.active.is_(True),
                                                      Window.a_post_id.is_not(None))
                                 .order_by(Window.number).limit(12)).scalars().all()
    if admin is None or not windows:
        return
    people = dict(db.session.execute(select(User.id, User.name).where(
        User.id.in_([w.a_post_id for w in windows]))).all())
    saved_profiles.save(hall.id, "case", PROFILE, {"columns": dict(COLUMNS), "header": True, "delimiter": "comma",
                                                   "options": {}}, "auto", 0, admin)
    data = sample_export(windows, people, clock.today(), random.Random(2026))
    shown = service.preview(hall.id, admin, "示范县审批系统办件导出.csv", data, PROFILE)
    service.confirm(hall.id, shown.token, admin)
