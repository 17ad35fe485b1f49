"""Bench the monthly assessment in-process: recompute a month, and the published sheet's query count.

`run()` prints: the time and peak memory of recomputing a month for 200 staff and 25 units (targets: under
2 s and 300 MB), and the queries of the published month's pages for a small and a large hall (they must not
grow with staff, events or years). Set DATABASE_URL to bench on PostgreSQL; SQLite in a temporary file otherwise.
"""
import os
import random
import resource
import tempfile
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import event, insert

# events_per_person: a person's events in each year; in_month: their events in the month measured.
SMALL = {"units": 5, "staff": 40, "events_per_person": 4, "years": 1, "in_month": 2}
LARGE = {"units": 25, "staff": 200, "events_per_person": 12, "years": 3, "in_month": 10}
MONTH = (2026, 11)
SOURCES = ["attendance", "patrol", "evaluation", "complaint", "case", "manual", "missed_patrol", "sitin"]


def _app(folder: Path):
    from portal import create_app
    from portal.extensions import db
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{folder / 'bench.sqlite3'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_DIR": folder, "WTF_CSRF_ENABLED": False})
    with app.app_context():
        db.drop_all()
        db.create_all()
    return app


def _hall(size: dict, rng: random.Random) -> int:
    """Make a hall of this size with a ledger over its years; return the hall id."""
    from portal.auth import passwords
    from portal.auth.models import User
    from portal.extensions import db
    from portal.org.models import Department, Hall
    from portal.roles import Role
    from portal.scores.models import ScoreEvent
    hall = Hall(name="考核测速中心")
    db.session.add(hall)
    db.session.flush()
    units = [Department(hall_id=hall.id, name=f"单位{n}", kind="window_unit") for n in range(size["units"])]
    db.session.add_all(units)
    db.session.flush()
    people = [User(hall_id=hall.id, name=f"人员{n}", login=f"p{hall.id}-{n}", department_id=units[n % len(units)].id)
              for n in range(size["staff"])]
    admin = User(hall_id=hall.id, name="管理员", login=f"admin{hall.id}", department_id=None)
    admin.set_roles([Role.ADMIN])
    passwords.set_password(admin, "bench-password-2026", must_change=False)
    db.session.add_all([*people, admin])
    db.session.flush()
    rows, first = [], date(MONTH[0] - size["years"] + 1, 1, 1)  # the years before the month, and the month
    span = (date(*MONTH, 28) - first).days
    for person in people:
        for _ in range(size["events_per_person"] * size["years"]):
            rows.append(_event(hall.id, person.id, person.department_id, first + timedelta(rng.randrange(span)), rng))
        for _ in range(size["in_month"]):
            rows.append(_event(hall.id, person.id, person.department_id, date(*MONTH, rng.randrange(1, 28)), rng))
    for unit in units:
        for _ in range(20 * size["years"]):
            rows.append(_event(hall.id, None, unit.id, first + timedelta(rng.randrange(span)), rng))
        for _ in range(2 * size["in_month"]):
            rows.append(_event(hall.id, None, unit.id, date(*MONTH, rng.randrange(1, 28)), rng))
    db.session.execute(insert(ScoreEvent), rows)  # the bench's data only: a real ledger writes one by one
    db.session.commit()
    return hall.id


def _event(hall_id, user_id, department_id, day, rng) -> dict:
    from portal import clock
    points = rng.choice([-500, -300, -200, -100, -50, -20, 200, 300])
    return {"hall_id": hall_id, "subject_user_id": user_id, "department_id": department_id, "centipoints": points,
            "rule": "测速记分", "source": rng.choice(SOURCES), "day": day, "recorded_at": clock.now(),
            "evidence": "", "note": ""}


def _recompute(app, hall_id: int) -> tuple[float, float]:
    """Return the best of three recomputations (seconds) and the peak traced memory of one (MB).

    Each runs in a request, as the month's page does it (the rulebook is read once per request).
    """
    from portal.assessment import sheet
    best = None
    for _ in range(3):
        with app.test_request_context():
            started = time.perf_counter()
            result = sheet.compute(hall_id, *MONTH)
            took = time.perf_counter() - started
        best = took if best is None else min(best, took)
    assert len(result.units) == LARGE["units"] and len(result.people) == LARGE["staff"]
    with app.test_request_context():
        tracemalloc.start()
        sheet.compute(hall_id, *MONTH)
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    return best, peak


def _publish(hall_id: int) -> None:
    """Freeze the month as published (the sheets stored; the 公示's PDF is not what is measured here)."""
    from portal.assessment import sheet, store
    from portal.assessment.models import AssessmentMonth
    from portal.extensions import db
    record = AssessmentMonth(hall_id=hall_id, year=MONTH[0], month=MONTH[1], state="published",
                             objection_until=date(*MONTH, 28))
    db.session.add(record)
    store.freeze(record, sheet.compute(hall_id, *MONTH))
    db.session.commit()


def _queries(app, hall_id: int) -> dict:
    """Return the statements the published month's pages issue, signed in as the hall's admin."""
    from portal.extensions import db
    from portal.org.models import Department
    client = app.test_client()
    client.post("/login", data={"login": f"admin{hall_id}", "password": "bench-password-2026"})
    with app.app_context():
        unit = db.session.query(Department.id).filter_by(hall_id=hall_id).first()[0]
    counts = {}
    for name, path in (("index", "/assessment/"), ("unit", f"/assessment/units/{unit}")):
        url = f"{path}?month={MONTH[0]}-{MONTH[1]:02d}"
        client.get(url)
        counts[name] = _statements(app, lambda u=url: client.get(u))
    return counts


def _statements(app, call) -> int:
    """Return how many SQL statements the call issues (transaction control left out)."""
    from portal.extensions import db
    statements = []

    def seen(_conn, _cursor, statement, *_args):
        if not statement.lstrip().upper().startswith(("BEGIN", "PRAGMA", "SAVEPOINT", "RELEASE")):
            statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", seen)
    try:
        assert call().status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    return len(statements)


def run() -> dict:
    """Print and return the assessment's figures."""
    rng = random.Random(2026)
    with tempfile.TemporaryDirectory() as folder:
        app = _app(Path(folder))
        with app.app_context():
            small, large = _hall(SMALL, rng), _hall(LARGE, rng)
            seconds, traced = _recompute(app, large)
            _publish(small)
            _publish(large)
        figures = {"recompute_s": round(seconds, 3), "recompute_traced_mb": round(traced, 1),
                   "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                   "queries_small": _queries(app, small), "queries_large": _queries(app, large)}
    in_month = LARGE["staff"] * LARGE["in_month"] + LARGE["units"] * 2 * LARGE["in_month"]
    print(f"assessment: recompute 200 staff / 25 units ({in_month}+ events in the month, "
          f"{LARGE['years']} years of ledger): {figures['recompute_s']} s (target < 2 s), "
          f"traced peak {figures['recompute_traced_mb']} MB, process max RSS {figures['max_rss_mb']} MB "
          f"(target < 300 MB)")
    print(f"assessment: published month's queries, small hall {figures['queries_small']}, "
          f"large hall {figures['queries_large']} (must be equal)")
    return figures


if __name__ == "__main__":
    run()
