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


def _person(hall, login: str) -> int:
    """The demo hall's named account; in a cloned hall, its counterpart (h<id>-<login>)."""
    first = _hall()
    wanted = login if hall.id == first.id else f"h{hall.id}-{login}"
    return db.session.execute(select(User.id).where(User.login == wanted)).scalar()


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


def sitin_history(years: int, hall) -> int:
    """A booking and a register row per department per week."""
    from portal.sitin.models import SitInBooking, SitInVisit
    rng = random.Random(8 + hall.id)
    units = _units(hall)
    clerk = _person(hall, "zhiban")
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


def notice_history(years: int, hall) -> int:
    """Five notices a week, most of them read by most staff; expired or archived by now."""
    from portal.notices.models import Notice, NoticeRead
    rng = random.Random(9 + hall.id)
    author = _person(hall, "admin")
    staff = db.session.execute(select(User.id).where(User.hall_id == hall.id)).scalars().all()
    categories = ("notice", "publicity", "bulletin", "rule", "guide")
    notices = []
    for _monday, days in _weekdays(years):
        for i, day in enumerate(days):
            at = _at(day, 9)
            notices.append(dict(hall_id=hall.id, title=f"{day:%m月%d日}工作通知（{i + 1}）", body="请各窗口知悉。" * 20,
                                category=categories[i], audience="public" if i == 4 else "staff", author_id=author,
                                pinned=False, must_read=i == 0, emergency=False, state="published", publish_at=at,
                                expires_at=at + timedelta(days=30), revision=1, created_at=at, updated_at=at))
    ids = db.session.execute(insert(Notice).returning(Notice.id), notices).scalars().all()
    reads = [dict(notice_id=nid, user_id=uid, read_at=_at(n["publish_at"].date(), 10),
                  acknowledged_at=_at(n["publish_at"].date(), 10) if n["must_read"] else None)
             for nid, n in zip(ids, notices, strict=True) for uid in rng.sample(staff, k=min(len(staff), 20))]
    db.session.execute(insert(NoticeRead), reads)
    db.session.commit()
    return len(notices) + len(reads)


def duty_history(years: int, hall) -> int:
    """About 5k duty-log items a year, each taken through its four steps (登记→报告→落实→反馈)."""
    from portal.duty.models import LOG_KINDS, STEP_ORDER, DutyLogItem, DutyLogStep
    rng = random.Random(10 + hall.id)
    leader = _person(hall, "zhiban")
    windows = db.session.execute(select(Window.id).where(Window.hall_id == hall.id)).scalars().all()
    kinds = list(LOG_KINDS)
    items = []
    for _monday, days in _weekdays(years):
        for day in days:
            for n in range(20):
                at = _at(day, 8 + n % 9, n)
                items.append(dict(hall_id=hall.id, day=day, kind=kinds[n % len(kinds)], window_id=rng.choice(windows),
                                  people="", text=f"{day:%m月%d日}第{n + 1}件：群众反映排队时间较长", state="fed_back",
                                  major=False, owner_id=leader, version=4, created_at=at, updated_at=at))
    ids = db.session.execute(insert(DutyLogItem).returning(DutyLogItem.id), items).scalars().all()
    steps = [dict(item_id=item_id, step=step, by_id=leader, at=item["created_at"] + timedelta(minutes=10 * k),
                  note="已处理", created_at=item["created_at"], updated_at=item["created_at"])
             for item_id, item in zip(ids, items, strict=True) for k, step in enumerate(STEP_ORDER)]
    db.session.execute(insert(DutyLogStep), steps)
    db.session.commit()
    return len(items) + len(steps)


def patrol_history(years: int, hall) -> int:
    """Two rounds a working day over all 55 windows; about 20k findings a year, each in the ledger."""
    from portal.patrol import checklist
    from portal.patrol.models import PatrolFinding, PatrolRound, PatrolVisit
    from portal.scores.models import ScoreEvent
    rng = random.Random(11 + hall.id)
    patroller = _person(hall, "ducha")
    template = checklist.current(hall.id)
    items = [i for i in template.items if i.person_centi]
    windows = db.session.execute(select(Window).where(Window.hall_id == hall.id)).scalars().all()
    rounds = []
    for _monday, days in _weekdays(years):
        for day in days:
            for hour in (9, 15):
                rounds.append(dict(hall_id=hall.id, patroller_id=patroller, template_id=template.id, day=day,
                                   started_at=_at(day, hour), finished_at=_at(day, hour, 40)))
    round_ids = db.session.execute(insert(PatrolRound).returning(PatrolRound.id), rounds).scalars().all()
    visits = [dict(round_id=rid, hall_id=hall.id, window_id=w.id, department_id=w.department_id, by_id=patroller,
                   at=r["started_at"], day=r["day"], outcome="findings" if rng.random() < 0.7 else "ok", note="",
                   na_reason="", corrected=False, serious=False)
              for rid, r in zip(round_ids, rounds, strict=True) for w in windows]
    visit_ids = db.session.execute(insert(PatrolVisit).returning(PatrolVisit.id), visits).scalars().all()
    by_window = {w.id: w for w in windows}
    findings, events = [], []
    for vid, v in zip(visit_ids, visits, strict=True):
        if v["outcome"] != "findings":
            continue
        item, window = rng.choice(items), by_window[v["window_id"]]
        person = window.a_post_id or window.b_post_id
        findings.append(dict(visit_id=vid, item_id=item.id, person_id=person, label=item.label, section=item.section,
                             person_centi=item.person_centi, unit_centi=item.unit_centi))
        base = dict(hall_id=hall.id, rule=f"巡查：{item.label}", source="patrol", day=v["day"],
                    recorded_by_id=patroller, recorded_at=v["at"], evidence=f"patrol_visit:{vid}", note="",
                    department_id=v["department_id"])
        events.append({**base, "subject_user_id": person, "centipoints": -item.person_centi})
        if item.unit_centi:
            events.append({**base, "subject_user_id": None, "centipoints": -item.unit_centi})
    db.session.execute(insert(PatrolFinding), findings)
    db.session.execute(insert(ScoreEvent), events)
    db.session.commit()
    return len(rounds) + len(visits) + len(findings) + len(events)


def clone_halls(count: int) -> list:
    """Return the demo hall and count - 1 copies of it (units, windows and staff), made here.

    A county runs dozens of halls on one database: the first hall's pages must not slow down because
    the others' rows are in the same tables. Staff of hall N sign in as h<N>-<login> (demo password).
    """
    from portal.auth.models import UserRole
    first = _hall()
    halls = [first]
    units = db.session.execute(select(Department).where(Department.hall_id == first.id)
                               .order_by(Department.id)).scalars().all()
    windows = db.session.execute(select(Window).where(Window.hall_id == first.id)
                                 .order_by(Window.number)).scalars().all()
    people = db.session.execute(select(User).where(User.hall_id == first.id).order_by(User.id)).scalars().all()
    for n in range(2, count + 1):
        hall = Hall(name=f"{first.name}（第{n}厅）", level=first.level)
        db.session.add(hall)
        db.session.flush()
        dept = {}
        for d in units:
            copy = Department(hall_id=hall.id, name=d.name, kind=d.kind, sort_order=d.sort_order)
            db.session.add(copy)
            db.session.flush()
            dept[d.id] = copy.id
        person = {}
        for u in people:
            copy = User(hall_id=hall.id, name=u.name, login=f"h{hall.id}-{u.login}",
                        department_id=dept.get(u.department_id),
                        password_hash=u.password_hash, password_changed_at=u.password_changed_at,
                        must_change_password=False)
            db.session.add(copy)
            db.session.flush()
            db.session.add_all(UserRole(user_id=copy.id, role=r.role) for r in u.role_rows)
            person[u.id] = copy.id
        for w in windows:
            db.session.add(Window(hall_id=hall.id, number=w.number, name=w.name, department_id=dept[w.department_id],
                                  a_post_id=person.get(w.a_post_id), b_post_id=person.get(w.b_post_id),
                                  zone_office_id=dept.get(w.zone_office_id), active=w.active))
        db.session.commit()
        halls.append(hall)
    return halls


# (name, function(years, hall) -> count); capabilities add theirs as they land.
GENERATORS = [
    ("sit-in bookings and register", sitin_history),
    ("notices and read receipts", notice_history),
    ("duty-log items and their steps", duty_history),
    ("patrol rounds, visits, findings and ledger events", patrol_history),
]


# Rounds the patrol writes walk through (see ids()): more windows than a run's findings, so each window's card
# in a round holds one visit, as after a patroller's real walk (one open round took thousands of them).
WALK_ROUNDS = 120


def _walk_rounds(first) -> list:
    """Return today's open rounds of the patroller, first the one ids() reads: WALK_ROUNDS of them (made once)."""
    from portal.patrol.models import PatrolRound
    rounds = db.session.execute(select(PatrolRound).where(
        PatrolRound.patroller_id == first.patroller_id, PatrolRound.day == first.day,
        PatrolRound.finished_at.is_(None), PatrolRound.id != first.id).order_by(PatrolRound.id)).scalars().all()
    for _n in range(WALK_ROUNDS - 1 - len(rounds)):
        rounds.append(PatrolRound(hall_id=first.hall_id, patroller_id=first.patroller_id,
                                  template_id=first.template_id, day=first.day, started_at=first.started_at))
        db.session.add(rounds[-1])
    db.session.commit()
    return [first, *rounds[:WALK_ROUNDS - 1]]


def ids() -> dict:
    """Return the ids used in endpoint paths and write bodies; opens today's patrol rounds for ducha."""
    from portal.patrol import checklist
    from portal.patrol import service as patrol
    windows = db.session.execute(select(Window).where(Window.hall_id == _hall().id, Window.active.is_(True))
                                 .order_by(Window.number)).scalars().all()
    window, other = windows[0], windows[1]
    patroller = db.session.execute(select(User).where(User.login == "ducha")).scalar()
    patrol_round = patrol.start_round(patroller)
    db.session.commit()
    item = next(i for i in checklist.current(window.hall_id).items if i.person_centi)
    # Writes go to other windows than the card that is read, so the card measured stays one visit long;
    # patrol writes take the other windows in turn, as a patroller walking the hall does, one round after
    # another: each answer's card shows its window's one visit of the round, not every finding made so far.
    staffed = [w for w in windows[1:] if w.a_post_id]
    walk = _walk_rounds(patrol_round)
    return {"window_id": window.id, "write_window_id": other.id, "screen": "demo-hall-screen",
            "evaluator": "demo-evaluator-1", "unit_id": window.department_id,
            "round_id": patrol_round.id, "finding": f"{item.id}-{other.a_post_id}",
            "patrol_walk": [{"round_id": r.id, "write_window_id": w.id, "finding": f"{item.id}-{w.a_post_id}"}
                            for r in walk for w in staffed],
            **_taps()}


def _taps() -> dict:
    """Fresh visits for make bench's rating tap (BENCH_TAP_POOL of them): the probe takes the first, the loads
    the rest in turn. Without it (bench.here, bench.county) no visits are made."""
    import os
    if not os.environ.get("BENCH_TAP_POOL"):
        return {}
    from bench.ratings_served import tap_pool
    visits = tap_pool(int(os.environ["BENCH_TAP_POOL"]))
    return {**visits[0], "tap_visits": visits[1:]}
