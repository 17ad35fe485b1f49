"""Complaint pages at scale: the open-cases list and a case page, one hall and one year beside ten halls and five.

Run: `.venv/bin/python -m bench.complaints` (SQLite in a temporary directory; PostgreSQL too when
DATABASE_URL names an empty database or one whose name contains "bench"). For each database it fills
one hall with a year of complaints, measures, then adds nine halls and four more years to the same
database and measures the same pages again: the query counts must stay flat.
"""
import os
import random
import statistics
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, select, text

from bench.cases import counted, fresh_app, make_hall

TODAY = datetime(2026, 12, 11, 10, 0)
PASSWORD = "Bench-2026-complaints"
PER_DAY = 3  # complaints a hall registers on an average day
OPEN_PER_HALL = 25
RUNS = 10
CLOSED_STEPS = ("registered", "sent", "accepted", "verified", "replied", "callback")


def _people(hall_id: int) -> tuple[list[int], list[int]]:
    from portal.auth.models import User
    from portal.extensions import db
    from portal.org.models import Department
    units = list(db.session.execute(select(Department.id).where(Department.hall_id == hall_id,
                                                                Department.kind == "window_unit")).scalars())
    staff = list(db.session.execute(select(User.id).where(User.hall_id == hall_id)).scalars())
    return units, staff


def fill(hall_id: int, years: int, seed: int, after: int = 0) -> int:
    """Add the hall's complaints of these years back from `after` years ago (all closed but the newest few)."""
    from portal import clock
    from portal.complaints.models import Complaint, ComplaintStep
    from portal.extensions import db
    rng, (units, staff) = random.Random(seed), _people(hall_id)
    now = TODAY.replace(tzinfo=clock.hall_tz())
    days = [now - timedelta(days=d, hours=rng.randrange(0, 7)) for d in range(1 + 365 * after, 365 * (after + years))]
    cases, numbers = [], {}
    for n, day in enumerate(sorted(rng.choice(days) for _ in range(PER_DAY * len(days)))):
        count = numbers[day.date()] = numbers.get(day.date(), 0) + 1
        is_open = after == 0 and n >= PER_DAY * len(days) - OPEN_PER_HALL
        cases.append({"hall_id": hall_id, "number": f"{day:%Y%m%d}{count:03d}", "query_code": f"{n % 999999:06d}",
                      "channel": rng.choice(("in_person", "hotline", "box")), "kind": "complaint", "name": "李四",
                      "phone": "13812345678", "department_id": rng.choice(units), "text": "窗口等候时间过长",
                      "received_at": day, "first_owner_id": rng.choice(staff), "unit_id": rng.choice(units),
                      "state": "accepted" if is_open else "closed", "round": 1, "round_start": day.date()})
    db.session.execute(insert(Complaint.__table__), cases)
    ids = db.session.execute(select(Complaint.id, Complaint.state, Complaint.received_at, Complaint.unit_id).where(
        Complaint.hall_id == hall_id, Complaint.received_at <= days[0], Complaint.received_at >= days[-1])).all()
    steps = [{"complaint_id": cid, "round": 1, "step": name, "at": at + timedelta(hours=i), "by_id": staff[0],
              "unit_id": unit if name in ("sent", "accepted") else None, "value": "true" if name == "verified" else "",
              "note": ""}
             for cid, state, at, unit in ids for i, name in enumerate(_steps(state))]
    db.session.execute(insert(ComplaintStep.__table__), steps)
    db.session.commit()
    return len(cases)


def _steps(state: str) -> tuple:
    return CLOSED_STEPS if state == "closed" else CLOSED_STEPS[:3]


def _admin_client(app, hall_id: int):
    import re

    from portal.auth.models import User
    from portal.auth.passwords import set_password
    from portal.extensions import db
    with app.app_context():
        admin = db.session.execute(select(User).where(User.hall_id == hall_id, User.login.like("admin%"))).scalar_one()
        set_password(admin, PASSWORD, must_change=False)
        db.session.commit()
        login = admin.login
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    client.post("/login", data={"login": login, "password": PASSWORD, "csrf_token": csrf})
    return client


def _page(app, client, url: str) -> tuple[float, int]:
    """Return the median time (ms) and the query count of one page."""
    for _ in range(2):
        answer = client.get(url)
        assert answer.status_code == 200, (url, answer.status_code, answer.headers.get("Location"))
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    with counted(app) as q:
        client.get(url)
    return statistics.median(times), q["n"]


def measure(app, client, hall_id: int) -> dict:
    """Measure the open-cases list and the newest open case's page of the hall."""
    from portal.complaints.models import Complaint
    from portal.extensions import db
    with app.app_context():
        newest_open = (select(Complaint.id).where(Complaint.hall_id == hall_id, Complaint.state != "closed")
                       .order_by(Complaint.id.desc()).limit(1))
        case_id = db.session.execute(newest_open).scalar_one()
    return {"list": _page(app, client, "/complaints/"), "case": _page(app, client, f"/complaints/{case_id}")}


def run_one(url: str | None, label: str) -> list[str]:
    """Measure one database: one hall and one year, then ten halls and five years."""
    from portal import clock
    from portal.extensions import db
    clock.freeze(TODAY)
    lines = []
    with tempfile.TemporaryDirectory() as tmp:
        app = fresh_app(url, Path(tmp))
        with app.app_context():
            hall_id, _admin, _names = make_hall(windows=10, clerks_per_window=2)
            total = fill(hall_id, 1, seed=1)
        client = _admin_client(app, hall_id)
        small = measure(app, client, hall_id)
        started = time.perf_counter()
        with app.app_context():
            total += fill(hall_id, 4, seed=2, after=1)  # four more years for the measured hall
            for n in range(9):
                other, _a, _c = make_hall(windows=10, clerks_per_window=2, name=f"基准分厅{n}")
                total += fill(other, 5, seed=10 + n)
            if db.engine.dialect.name == "postgresql":  # as autovacuum would after a load this size
                db.session.execute(text("ANALYZE"))
                db.session.commit()
        grow_s = time.perf_counter() - started
        large = measure(app, client, hall_id)
        with app.app_context():
            db.engine.dispose()
    clock.freeze(None)
    for key, name in (("list", "open-cases list"), ("case", "case page")):
        (t1, q1), (t2, q2) = small[key], large[key]
        lines.append(f"complaints {label} {name}: 1 hall x 1 year {t1:.1f} ms / {q1} queries; 10 halls x 5 years "
                     f"{t2:.1f} ms / {q2} queries ({'flat' if q1 == q2 else 'GROWS'})")
    lines.append(f"complaints {label}: {total} complaints in the grown database (filled in {grow_s:.0f} s)")
    return lines


def run() -> None:
    """Measure on SQLite, and on PostgreSQL when DATABASE_URL is set; print the figures."""
    targets = [("sqlite", None)] + ([("postgresql", os.environ["DATABASE_URL"])] if os.environ.get("DATABASE_URL")
                                    else [])
    for label, url in targets:
        for line in run_one(url, label):
            print(line)


if __name__ == "__main__":
    run()
