"""Ratings speed (好差评), in-process: 50 evaluators tapping at once, the idle poll, a 55-window month's figures.

The app runs on a fresh SQLite file (or on DATABASE_URL's PostgreSQL, which it empties), with the
clock frozen late in a month so every tap recounts a full month for the hall screen. Taps go through
Flask's test client from 50 threads (one per evaluator), so the figures include the request
machinery, the flood limit's statement, the rating, its case and the month's recount.
"""
import os
import random
import re
import resource
import statistics
import tempfile
import threading
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import event, insert, text

WINDOWS, UNITS, EVALUATORS, ROUNDS = 55, 11, 50, 10
SPREAD_S = 5.0  # 50 taps in 5 s: ten a second, far above a busy hall's rate
VISITS_PER_DAY = 30
PASSWORD = "Bench-Ratings-2026"
MOMENT = datetime(2026, 11, 27, 10, 0)  # a Friday: the month has 19 working days of ratings before it


class Counter:
    """Count the statements the engine runs inside a block."""

    def __init__(self, engine):
        self.engine, self.n = engine, 0

    def _on(self, _conn, _cursor, statement, *_args):
        if not statement.lstrip().upper().startswith(("BEGIN", "PRAGMA", "SAVEPOINT", "RELEASE")):
            self.n += 1

    def __enter__(self):
        self.n = 0
        event.listen(self.engine, "before_cursor_execute", self._on)
        return self

    def __exit__(self, *_exc):
        event.remove(self.engine, "before_cursor_execute", self._on)


def _app(folder: Path):
    from portal import create_app
    from portal.extensions import db
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{folder / 'bench.sqlite3'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_DIR": folder, "UPLOAD_DIR": folder / "uploads"})
    with app.app_context():
        if url.startswith("postgresql"):
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        db.create_all()
    return app


def _hall() -> dict:
    """Build a hall of 11 units and 55 windows, a clerk at each, an admin and 50 evaluators."""
    from portal.auth import passwords
    from portal.auth.models import User
    from portal.extensions import db
    from portal.org.models import Department, Hall, Window
    from portal.ratings import evaluator
    from portal.roles import Role
    hall = Hall(name="基准政务服务中心", level="county")
    db.session.add(hall)
    db.session.flush()
    units = [Department(hall_id=hall.id, name=f"单位{u + 1}", kind="window_unit") for u in range(UNITS)]
    db.session.add_all(units)
    db.session.flush()
    admin = User(hall_id=hall.id, name="中心管理员", login="bench-admin", department_id=units[0].id)
    admin.set_roles([Role.ADMIN])
    passwords.set_password(admin, PASSWORD, must_change=False)
    db.session.add(admin)
    windows, clerks = [], []
    for n in range(WINDOWS):
        unit = units[n % UNITS]
        window = Window(hall_id=hall.id, number=n + 1, name=f"{n + 1}号窗口", department_id=unit.id)
        clerk = User(hall_id=hall.id, name=f"工作人员{n + 1}", login=f"clerk{n + 1}", department_id=unit.id)
        clerk.set_roles([Role.STAFF])
        db.session.add_all([window, clerk])
        db.session.flush()
        clerk.window_id, window.a_post_id = window.id, clerk.id
        windows.append(window)
        clerks.append(clerk)
    db.session.flush()
    devices = [evaluator.create(admin, w.id, f"{w.number}号评价器", token=f"bench-evaluator-{w.number:04d}")
               for w in windows[:EVALUATORS]]
    db.session.commit()
    return {"hall": hall.id, "windows": [(w.id, w.department_id) for w in windows], "clerks": [c.id for c in clerks],
            "tokens": [d.token for d in devices]}


def _month(ids: dict, days: list[date], share: float) -> int:
    """Insert a month of visits and ratings (85% rated, 4% of those bad, with cases); return the visits."""
    from portal import clock
    from portal.extensions import db
    from portal.ratings.models import Invitation, Rating, RatingCase
    rnd, visits, ratings = random.Random(7), [], []
    for day in days:
        at = datetime(day.year, day.month, day.day, 9, 0, tzinfo=clock.hall_tz())
        for (window_id, unit_id), staff_id in zip(ids["windows"], ids["clerks"], strict=True):
            for _ in range(int(VISITS_PER_DAY * share)):
                visits.append(dict(hall_id=ids["hall"], window_id=window_id, department_id=unit_id,
                                   staff_id=staff_id, invited_at=at, expires_at=at + timedelta(minutes=2), day=day))
    db.session.execute(insert(Invitation), visits)
    first = db.session.execute(text("SELECT min(id) FROM rating_invitation")).scalar()
    for i, visit in enumerate(visits):
        if rnd.random() < 0.85:
            level = rnd.choice([4, 5]) if rnd.random() < 0.04 else rnd.choice([1, 1, 1, 2, 2, 3])
            ratings.append(dict(hall_id=ids["hall"], invitation_id=first + i, channel="window", level=level,
                                window_id=visit["window_id"], department_id=visit["department_id"],
                                staff_id=visit["staff_id"], rated_at=visit["invited_at"], day=visit["day"]))
    db.session.execute(insert(Rating), ratings)
    rows = db.session.execute(text("SELECT id, department_id FROM rating WHERE level >= 4")).all()
    cases = [dict(hall_id=ids["hall"], rating_id=r[0], department_id=r[1], state=("closed", "rectify")[r[0] % 2],
                  kind="deadline", pending="", unable=False, extended=False) for r in rows]
    if cases:
        db.session.execute(insert(RatingCase), cases)
    db.session.commit()
    return len(visits)


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"', html) or \
        re.search(r'"X-CSRFToken": "([^"]+)"', html)
    return found.group(1)


def _tap_round(app, ids: dict, clients: list, spread_s: float | None) -> list[float]:
    """Invite a visit at every evaluator's window, then let the 50 evaluators tap; return ms each.

    spread_s 0: all in the same instant (a barrier); None: one after another; otherwise each taps at a
    random moment within it.
    """
    from portal.auth.models import User
    from portal.extensions import db
    from portal.ratings import visits
    with app.app_context():
        invitations = [visits.invite(db.session.get(User, c)).id for c in ids["clerks"][:EVALUATORS]]
        db.session.commit()
    timings, start = [0.0] * EVALUATORS, threading.Barrier(1 if spread_s is None else EVALUATORS)
    delays = [random.uniform(0, spread_s or 0) for _ in range(EVALUATORS)]

    def one(i):
        client, csrf = clients[i]
        level = 4 if i % 10 == 0 else 1 + i % 3
        data = {"csrf_token": csrf, "invitation": str(invitations[i]), "level": str(level), "detail": "1"}
        start.wait()
        time.sleep(delays[i])
        began = time.perf_counter()
        answer = client.post(f"/evaluator/{ids['tokens'][i]}/rate", data=data)
        timings[i] = (time.perf_counter() - began) * 1000
        assert answer.status_code == 200, answer.status_code

    if spread_s is None:  # one after another: what a tap costs on its own
        for i in range(EVALUATORS):
            one(i)
        return timings
    threads = [threading.Thread(target=one, args=(i,)) for i in range(EVALUATORS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return timings


def _taps(app, ids: dict, spread_s: float | None) -> dict:
    clients = []
    for token in ids["tokens"]:
        client = app.test_client()
        clients.append((client, _csrf(client.get(f"/evaluator/{token}").get_data(as_text=True))))
    timings = []
    for _ in range(ROUNDS // 2):
        timings += _tap_round(app, ids, clients, spread_s)
    timings.sort()
    return {"taps": len(timings), "p50": statistics.median(timings), "p90": timings[int(len(timings) * 0.9) - 1],
            "p99": timings[int(len(timings) * 0.99) - 1], "max": timings[-1]}


def _single_tap(app, ids: dict, engine) -> int:
    """Return the statements one tap costs (flood limit, device, invitation checks, rating, recount)."""
    from portal.auth.models import User
    from portal.extensions import db
    from portal.ratings import visits
    token, client = ids["tokens"][-1], app.test_client()
    csrf = _csrf(client.get(f"/evaluator/{token}").get_data(as_text=True))
    with app.app_context():
        invitation = visits.invite(db.session.get(User, ids["clerks"][EVALUATORS - 1])).id
        db.session.commit()
    with Counter(engine) as counted:
        client.post(f"/evaluator/{token}/rate", data={"csrf_token": csrf, "invitation": invitation, "level": 1})
    return counted.n


def _idle_poll(app, ids: dict, engine) -> tuple[int, float]:
    client, token = app.test_client(), ids["tokens"][0]
    etag = client.get(f"/evaluator/{token}/state").headers["ETag"]
    with Counter(engine) as counted:
        began = time.perf_counter()
        for _ in range(200):
            assert client.get(f"/evaluator/{token}/state", headers={"If-None-Match": etag}).status_code == 304
        ms = (time.perf_counter() - began) * 1000 / 200
    return counted.n, ms


def _figures(app, ids: dict, engine) -> dict:
    from portal.extensions import db
    from portal.ratings import figures
    from portal.scores.service import month_range
    with app.app_context():
        with Counter(engine) as counted:
            began = time.perf_counter()
            found = figures.month(ids["hall"], *month_range(MOMENT.year, MOMENT.month))
            ms = (time.perf_counter() - began) * 1000
        ratings = found.total.ratings
        db.session.rollback()
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    client.post("/login", data={"login": "bench-admin", "password": PASSWORD, "csrf_token": _csrf(page)})
    with Counter(engine) as page_counted:
        began = time.perf_counter()
        assert client.get(f"/ratings/?month={MOMENT:%Y-%m}").status_code == 200
        page_ms = (time.perf_counter() - began) * 1000
    return {"ratings": ratings, "ms": ms, "queries": counted.n, "page_ms": page_ms, "page_queries": page_counted.n}


def _working_days(count_before: date) -> list[date]:
    first = count_before.replace(day=1)
    return [first + timedelta(d) for d in range((count_before - first).days) if (first + timedelta(d)).weekday() < 5]


def _measure(share: float) -> dict:
    from portal import clock
    from portal.extensions import db
    with tempfile.TemporaryDirectory() as folder:
        app = _app(Path(folder))
        clock.freeze(MOMENT)
        try:
            with app.app_context():
                ids = _hall()
                visits = _month(ids, _working_days(MOMENT.date()), share)
                engine = db.engine
            out = {"visits": visits, "figures": _figures(app, ids, engine)}
            if share == 1:
                out.update(alone=_taps(app, ids, None), burst=_taps(app, ids, 0),
                           spread=_taps(app, ids, SPREAD_S), tap_statements=_single_tap(app, ids, engine),
                           idle=_idle_poll(app, ids, engine))
            return out
        finally:
            clock.freeze(None)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _served() -> list[str]:
    """Taps over HTTP through gunicorn's workers (bench/ratings_served.py), on SQLite and PostgreSQL."""
    from bench import ratings_served
    lines = [f"Over HTTP: gunicorn on the same hall, {EVALUATORS} evaluators each tapping once a round on its own "
             f"connection, {ratings_served.ROUNDS} rounds each way; the instant's times run from the common "
             "release. Worker CPU: the gunicorn workers' user+system time over the rounds, per tap.", ""]
    for label, url in (("SQLite", None), ("PostgreSQL", ratings_served.postgres_url())):
        if label == "PostgreSQL" and url is None:
            lines += ["(PostgreSQL not measured: no server at BENCH_TAP_PG.)", ""]
            continue
        lines += ratings_served.report(ratings_served.measure(url), label) + [""]
    return lines


def run() -> str:
    """Measure and print the ratings figures; return them as a Markdown section."""
    full, half = _measure(1), _measure(0.5)
    idle_queries, idle_ms = full["idle"]
    lines = ["## Ratings (好差评)", "",
             f"{EVALUATORS} evaluators tap from {EVALUATORS} threads through one in-process app (one worker, "
             f"the GIL: taps are served one after another), {ROUNDS // 2} rounds each way, 10% bad with a case, "
             f"{os.environ.get('DATABASE_URL', 'SQLite').split('@')[-1]}; the month already holds "
             f"{full['visits']} visits. A good tap costs {full['tap_statements']} statements.", "",
             "| tap on the evaluator | taps | p50 ms | p90 ms | p99 ms | max ms |", "|---|---:|---:|---:|---:|---:|"]
    for label, tap in (("one after another", full["alone"]), ("50 in the same instant", full["burst"]),
                       (f"50 within {SPREAD_S:g} s", full["spread"])):
        lines.append(f"| {label} | {tap['taps']} | {tap['p50']:.1f} | {tap['p90']:.1f} | {tap['p99']:.1f} | "
                     f"{tap['max']:.1f} |")
    lines += ["",
             f"Idle evaluator poll (304): {idle_queries} statements in 200 polls, {idle_ms:.2f} ms each.", "",
             f"| month's figures, {WINDOWS} windows | visits | ratings | figures.month ms | queries | "
             "figures page ms | page queries |", "|---|---:|---:|---:|---:|---:|---:|"]
    for label, m in (("half a month's load", half), ("a full month's load", full)):
        f = m["figures"]
        lines.append(f"| {label} | {m['visits']} | {f['ratings']} | {f['ms']:.1f} | {f['queries']} | "
                     f"{f['page_ms']:.1f} | {f['page_queries']} |")
    lines += ["", f"Peak memory of the bench process: {_peak_mb():.0f} MB.", ""]
    lines += _served()
    report = "\n".join(lines)
    print(report)
    return report


if __name__ == "__main__":
    run()
