"""Per-capability generators of synthetic history, and the ids the endpoints need.

Each generator adds `years` of past records for the demo hall with bulk inserts (no per-row audit:
this is synthetic load, not anyone's action) and returns how many rows it wrote.
"""
import random
from datetime import datetime, time, timedelta

from sqlalchemy import insert, select

from portal import clock
from portal.auth.models import User
from portal.extensions import db
from portal.org.models import Department, Hall, Window


def _hall():
    return db.session.execute(select(Hall).order_by(Hall.id)).scalars().first()


def _units(hall):
    return db.session.execute(select(Department).where(
        Department.hall_id == hall.id, Department.kind == "window_unit").order_by(Department.id)).scalars().all()


def _weekdays(years: int, skip_weeks: int = 6):
    """Mondays to Fridays of the past `years`, older than the demo's own weeks."""
    today = clock.today()
    start = today - timedelta(weeks=skip_weeks) - timedelta(days=today.weekday())
    for week in range(52 * years):
        monday = start - timedelta(weeks=week)
        yield monday, [monday + timedelta(days=i) for i in range(5)]


def _at(day, hour, minute=0):
    return datetime.combine(day, time(hour, minute), tzinfo=clock.hall_tz())


def sitin_history(years: int) -> int:
    """A booking and a register row per department per week."""
    from portal.sitin.models import SitInBooking, SitInVisit
    hall, rng = _hall(), random.Random(8)
    units = _units(hall)
    clerk = db.session.execute(select(User.id).where(User.login == "zhiban")).scalar()
    bookings, visits = [], []
    for monday, days in _weekdays(years):
        for i, dept in enumerate(units):
            day, half = days[i % 5], ("am", "pm")[i % 2]
            filed = _at(monday - timedelta(days=3), 16)
            bookings.append(dict(hall_id=hall.id, department_id=dept.id, leader_id=clerk, booked_by_id=clerk,
                                 day=day, half=half, desk_no=i // 10 + 1, full_day=False, state="active",
                                 filed_at=filed, filed_late=False, note="", cancel_reason="",
                                 cancelled_late=False, created_at=filed, updated_at=filed))
            came = rng.random() > 0.05
            visits.append(dict(hall_id=hall.id, department_id=dept.id, day=day,
                               attendance="arrived" if came else "absent", arrived_at=_at(day, 9) if came else None,
                               checked_by_id=clerk, checked_at=_at(day, 9), looked_at="窗口巡看", solved="",
                               proposed="", created_at=_at(day, 9), updated_at=_at(day, 9)))
    db.session.execute(insert(SitInBooking), bookings)
    db.session.execute(insert(SitInVisit), visits)
    db.session.commit()
    return len(bookings) + len(visits)


def notice_history(years: int) -> int:
    """Five notices a week, most of them read by most staff; expired or archived by now."""
    from portal.notices.models import Notice, NoticeRead
    hall, rng = _hall(), random.Random(9)
    author = db.session.execute(select(User.id).where(User.login == "admin")).scalar()
    staff = db.session.execute(select(User.id).where(User.hall_id == hall.id)).scalars().all()
    categories = ("notice", "publicity", "bulletin", "rule", "guide")
    notices = []
    for monday, days in _weekdays(years):
        for i, day in enumerate(days):
            at = _at(day, 9)
            notices.append(dict(hall_id=hall.id, title=f"{day:%m月%d日}工作通知（{i + 1}）", body="请各窗口知悉。" * 20,
                                category=categories[i], audience="public" if i == 4 else "staff", author_id=author,
                                pinned=False, must_read=i == 0, emergency=False, state="published", publish_at=at,
                                expires_at=at + timedelta(days=30), revision=1, created_at=at, updated_at=at))
    ids = db.session.execute(insert(Notice).returning(Notice.id), notices).scalars().all()
    reads = [dict(notice_id=nid, user_id=uid, read_at=_at(n["publish_at"].date(), 10),
                  acknowledged_at=_at(n["publish_at"].date(), 10) if n["must_read"] else None)
             for nid, n in zip(ids, notices) for uid in rng.sample(staff, k=min(len(staff), 20))]
    db.session.execute(insert(NoticeRead), reads)
    db.session.commit()
    return len(notices) + len(reads)


# (name, function(years) -> count); capabilities add theirs as they land.
GENERATORS = [
    ("sit-in bookings and register", sitin_history),
    ("notices and read receipts", notice_history),
]


def ids() -> dict:
    """Return the ids used in endpoint paths."""
    window = db.session.execute(select(Window.id).order_by(Window.number).limit(1)).scalar()
    return {"window_id": window, "screen": "demo-hall-screen"}
