"""Case import speed: preview and confirm a 10,000-row export that charges ~3,000 score events.

Run: `.venv/bin/python -m bench.cases` (SQLite in a temporary directory; PostgreSQL too when DATABASE_URL
names an empty database or one whose name contains "bench"). Prints times, query counts and peak memory.
"""
import os
import random
import resource
import tempfile
import time
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import event, func, select, text
from sqlalchemy.engine import make_url

ROWS = 10_000
TODAY = datetime(2026, 12, 11, 10, 0)  # a Friday; the cases were taken over the two months before
HEADER = ["办件编号", "事项名称", "事项编码", "受理时间", "法定时限", "承诺时限", "办结时间", "补正开始", "补正结束",
          "窗口", "受理人"]


def fresh_app(url: str | None, instance: Path):
    """Build the portal on an empty database (a temporary SQLite file, or the PostgreSQL one named)."""
    from portal import create_app
    from portal.extensions import db
    app = create_app({"SQLALCHEMY_DATABASE_URI": url or f"sqlite:///{instance / 'bench.sqlite3'}",
                      "INSTANCE_DIR": instance, "UPLOAD_DIR": instance / "uploads"})
    with app.app_context():
        if url:
            _refuse_a_real_database(db)
            db.session.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            db.session.commit()
        db.create_all()
    return app


def _refuse_a_real_database(db) -> None:
    name = make_url(str(db.engine.url)).database or ""
    has_halls = db.session.execute(text("SELECT to_regclass('public.hall') IS NOT NULL")).scalar()
    if has_halls and "bench" not in name and db.session.execute(text("SELECT count(*) FROM hall")).scalar():
        raise SystemExit(f"{name} holds halls: give the bench an empty database or one named *bench*")


@contextmanager
def counted(app):
    """Count the statements sent to the database inside the block (the dict's 'n')."""
    from portal.extensions import db
    seen = {"n": 0}

    def bump(*_args):
        seen["n"] += 1
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", bump)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", bump)


def make_hall(windows: int = 20, clerks_per_window: int = 2, name: str = "基准政务服务中心"):
    """Add a hall with window units, windows, clerks and an admin; return (hall id, admin id, clerk names)."""
    from portal.auth.models import User, UserRole
    from portal.extensions import db
    from portal.org.models import Department, Hall, Window
    from portal.roles import Role
    hall = Hall(name=name, level="county")
    db.session.add(hall)
    db.session.flush()
    office = Department(hall_id=hall.id, name="综合科", kind="center_office")
    db.session.add(office)
    db.session.flush()
    admin = User(hall_id=hall.id, login=f"admin{hall.id}", name="管理员", department_id=office.id,
                 password_hash="!")
    db.session.add(admin)
    db.session.flush()
    db.session.add(UserRole(user_id=admin.id, role=Role.ADMIN.value))
    names = {}
    for n in range(1, windows + 1):
        unit = Department(hall_id=hall.id, name=f"进驻单位{n}", kind="window_unit")
        db.session.add(unit)
        db.session.flush()
        window = Window(hall_id=hall.id, number=n, name=f"{n}号综合窗口", department_id=unit.id)
        db.session.add(window)
        db.session.flush()
        for k in range(clerks_per_window):
            clerk = User(hall_id=hall.id, login=f"h{hall.id}w{n}c{k}", name=f"窗口{n}员{k}", department_id=unit.id,
                         window_id=window.id, password_hash="!")
            db.session.add(clerk)
            db.session.flush()
            db.session.add(UserRole(user_id=clerk.id, role=Role.STAFF.value))
            names.setdefault(n, []).append(clerk.name)
    db.session.commit()
    return hall.id, admin.id, names


def sample_export(names: dict, rows: int = ROWS, seed: int = 7) -> bytes:
    """Write an export: most cases finished in time, ~12% overdue (two events each), 5% on the spot."""
    rng, lines = random.Random(seed), [HEADER]
    for i in range(rows):
        window = rng.choice(sorted(names))
        accepted = TODAY - timedelta(days=rng.randrange(3, 60), hours=rng.randrange(0, 6))
        accepted -= timedelta(days=max(0, accepted.weekday() - 4))  # taken on a working day
        promised, roll = rng.choice((1, 2, 3, 5)), rng.random()
        if roll < 0.06:  # still open and past its deadline
            finished = ""
        elif roll < 0.12:  # finished late
            finished = f"{accepted + timedelta(days=promised * 3 + 3):%Y-%m-%d %H:%M}"
        elif roll < 0.17:  # on the spot: the instant-case bonus
            finished = f"{accepted + timedelta(hours=1):%Y-%m-%d %H:%M}"
        else:  # in time: the next working day
            finished = f"{accepted + timedelta(days=3 if accepted.weekday() == 4 else 1):%Y-%m-%d %H:%M}"
        lines.append([f"BJ{i:06d}", "个体工商户设立登记", "330100-001", f"{accepted:%Y-%m-%d %H:%M}", "20",
                      str(promised), finished, "", "", f"{window}号窗口", rng.choice(names[window])])
    return "\n".join(",".join(line) for line in lines).encode("utf-8")


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(app, label: str) -> dict:
    """Preview and confirm the export once; return the figures."""
    from portal import clock
    from portal.audit import service as audit
    from portal.auth.models import User
    from portal.cases import service
    from portal.cases.profiles import DEFAULT
    from portal.extensions import db
    from portal.scores.models import ScoreEvent
    clock.freeze(TODAY)
    with app.app_context():
        hall_id, admin_id, names = make_hall()
        data = sample_export(names)
        admin = db.session.get(User, admin_id)
        with counted(app) as q_preview:
            started = time.perf_counter()
            shown = service.preview(hall_id, admin, "export.csv", data, DEFAULT)
            preview_s = time.perf_counter() - started
        with counted(app) as q_confirm:
            started = time.perf_counter()
            service.confirm(hall_id, shown.token, admin)
            confirm_s = time.perf_counter() - started
        events = db.session.execute(select(func.count(ScoreEvent.id))).scalar()
        ok, _problems = audit.verify()
        db.session.commit()
    clock.freeze(None)
    return {"db": label, "rows": ROWS, "preview_s": preview_s, "preview_q": q_preview["n"], "confirm_s": confirm_s,
            "confirm_q": q_confirm["n"], "events": events, "peak_mb": _peak_mb(), "chain_ok": ok}


def run() -> list[dict]:
    """Measure on SQLite, and on PostgreSQL when DATABASE_URL is set; print one line each."""
    results = []
    targets = [("sqlite", None)] + ([("postgresql", os.environ["DATABASE_URL"])] if os.environ.get("DATABASE_URL")
                                    else [])
    for label, url in targets:
        with tempfile.TemporaryDirectory() as tmp:
            app = fresh_app(url, Path(tmp))
            r = measure(app, label)
            with app.app_context():
                from portal.extensions import db
                db.engine.dispose()
        results.append(r)
        print(f"cases import {r['db']}: {r['rows']} rows, preview {r['preview_s']:.2f} s ({r['preview_q']} queries), "
              f"confirm {r['confirm_s']:.2f} s ({r['confirm_q']} queries), {r['events']} score events, "
              f"peak RSS {r['peak_mb']:.0f} MB, audit chain {'ok' if r['chain_ok'] else 'BROKEN'}")
    return results


if __name__ == "__main__":
    run()
