"""Attendance speed (#16): a month's punch file for 200 staff, one ADMS push of 1,000 punches, the month sheet.

In-process, on a fresh database (a temporary SQLite file, or BENCH_DATABASE_URL): a hall of 55 windows
and 200 staff, each with a device id. The file is 200 staff x 22 working days x 4 punches = 17,600
lines in ZKTeco's 1_attlog.dat layout; it is previewed and confirmed through the shared import
mechanism as the import page does. The push goes through the /iclock/cdata route with a test client.
The month sheet is the admin's /attendance/month page; its query count is taken at 100 and at 200
staff, and again after a second month of punches, to show it grows with neither.
"""
import os
import re
import resource
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STAFF, WINDOWS, UNITS = 200, 55, 20
PUSH_LINES = 1000
PASSWORD = "Bench-pass-2026"
FROZEN = datetime(2026, 12, 2, 9, 0)  # the day after the month's file ends
TIMES = (clock_time(7, 55), clock_time(12, 2), clock_time(14, 26), clock_time(17, 33))


def rss_mb() -> float:
    """Return the process's peak resident size so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@contextmanager
def measured(app, figures: dict, name: str):
    """Time the block, count its SQL statements (the tests' counter) and note the peak memory after it."""
    from tests.querycount import count_queries
    start = time.perf_counter()
    with count_queries(app) as seen:
        yield
    figures[name] = {"seconds": time.perf_counter() - start, "queries": len(seen), "peak_mb": rss_mb()}


def build_app(tmp: Path):
    """Create the portal on an empty database."""
    from portal import create_app
    from portal.extensions import db
    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{tmp / 'attendance.sqlite3'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_DIR": tmp, "UPLOAD_DIR": tmp / "uploads"})
    with app.app_context():
        db.drop_all()
        db.create_all()
    return app


def seed_hall(app) -> dict:
    """Add a hall of 55 windows in 20 units, its admin, 200 staff and their device ids."""
    from portal import clock
    from portal.attendance.models import DeviceUser
    from portal.auth import passwords
    from portal.auth.models import User
    from portal.extensions import db
    from portal.org.models import Department, Hall, Window
    from portal.roles import Role
    with app.app_context():
        hall = Hall(name="测试政务服务中心", level="county")
        db.session.add(hall)
        db.session.flush()
        units = [Department(hall_id=hall.id, name=f"进驻单位{n + 1}", kind="window_unit", sort_order=n)
                 for n in range(UNITS)]
        office = Department(hall_id=hall.id, name="综合科", kind="center_office")
        db.session.add_all([*units, office])
        db.session.flush()
        db.session.add_all([Window(hall_id=hall.id, number=n + 1, name=f"窗口{n + 1}",
                                   department_id=units[n % UNITS].id) for n in range(WINDOWS)])
        admin = User(hall_id=hall.id, name="中心管理员", login="bench-admin", department_id=office.id)
        admin.set_roles([Role.ADMIN])
        passwords.set_password(admin, PASSWORD, must_change=False)
        staff = [User(hall_id=hall.id, name=f"工作人员{n + 1:03d}", login=f"staff{n + 1:03d}",
                      department_id=units[n % UNITS].id) for n in range(STAFF)]
        for person in staff:
            person.set_roles([Role.STAFF])
        db.session.add_all([admin, *staff])
        db.session.flush()
        db.session.add_all([DeviceUser(hall_id=hall.id, source="zkteco", device_user_id=str(1000 + n),
                                       user_id=p.id, mapped_at=clock.now()) for n, p in enumerate(staff)])
        db.session.commit()
        return {"hall": hall.id, "admin": admin.id, "staff": [p.id for p in staff]}


def month_days(count: int = 22):
    """Return the working days the file covers: November 2026's, and December's first to make 22."""
    from portal.rulebook import calendar
    return calendar.working_days(datetime(2026, 11, 1).date(), datetime(2026, 12, 1).date())[:count]


def attlog(days, pins, late_every: int = 17) -> bytes:
    """Write a ZKTeco 1_attlog.dat: each person's four punches a day, someone late now and then."""
    lines = []
    for d, day in enumerate(days):
        for n, pin in enumerate(pins):
            for k, t in enumerate(TIMES):
                at = datetime.combine(day, t)
                if k == 0 and (n + d) % late_every == 0:
                    at += timedelta(minutes=40)
                lines.append(f"{pin:>9}\t{at:%Y-%m-%d %H:%M:%S}\t1\t{k % 2}\t1\t0")
    return ("\r\n".join(lines) + "\r\n").encode()


def import_file(app, ids: dict, data: bytes, figures: dict) -> None:
    """Preview and confirm the month's file as the import page does, measuring each step."""
    from portal.attendance import formats, service
    from portal.attendance.punches import SPEC
    from portal.auth.models import User
    from portal.extensions import db
    from portal.imports import service as imports
    with measured(app, figures, "preview"), app.app_context():
        admin = db.session.get(User, ids["admin"])
        shown = imports.preview(SPEC, ids["hall"], admin, "1_attlog.dat", data, service.profile(ids["hall"],
                                                                                              formats.ZKTECO))
        token, counts = shown.token, dict(shown.counts)
    with measured(app, figures, "confirm"), app.app_context():
        batch = imports.confirm(SPEC, ids["hall"], token, db.session.get(User, ids["admin"]))
        figures["saved"] = batch.saved
    figures["preview_counts"] = counts


def push(app, ids: dict, figures: dict) -> str:
    """Register a device and push 1,000 punch lines over /iclock/cdata, as the terminal does."""
    from portal.attendance import adms
    from portal.auth.models import User
    from portal.extensions import db
    with app.app_context():
        adms.register(ids["hall"], "BENCH-ZK-1", "大厅考勤机", adms.DEFAULT_ORDER, db.session.get(User, ids["admin"]))
    day = datetime(2026, 12, 2).date()
    body = "\n".join(f"{1000 + n % STAFF}\t{datetime.combine(day, clock_time(7, 30)) + timedelta(seconds=n)}"
                     f"\t0\t1\t0\t0" for n in range(PUSH_LINES)).encode()
    client = app.test_client()
    with measured(app, figures, "push"):
        answer = client.post("/iclock/cdata?SN=BENCH-ZK-1&table=ATTLOG", data=body, content_type="text/plain")
    return answer.get_data(as_text=True)


def sign_in(app):
    """Return a test client signed in as the bench's admin."""
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    answer = client.post("/login", data={"login": "bench-admin", "password": PASSWORD, "csrf_token": token})
    assert answer.status_code == 302, answer.status_code
    return client


def month_page(app, client, figures: dict, name: str) -> None:
    """Render the admin's month sheet once warm, measuring the second request."""
    client.get("/attendance/month?month=2026-11")
    with measured(app, figures, name):
        answer = client.get("/attendance/month?month=2026-11")
    assert answer.status_code == 200, answer.status_code


def set_active(app, user_ids, active: bool) -> None:
    from sqlalchemy import update

    from portal.auth.models import User
    from portal.extensions import db
    with app.app_context():
        db.session.execute(update(User).where(User.id.in_(user_ids)).values(active=active))
        db.session.commit()


def older_month(app, ids: dict) -> None:
    """Import October's punches too: a month more of history behind the sheet."""
    from portal.rulebook import calendar
    with app.app_context():
        days = calendar.working_days(datetime(2026, 10, 1).date(), datetime(2026, 10, 31).date())
    import_file(app, ids, attlog(days, [str(1000 + n) for n in range(STAFF)]), {})


def report(figures: dict) -> str:
    lines = ["## Attendance (#16)", "", f"Hall of {WINDOWS} windows, {STAFF} staff; file of {figures['lines']:,} lines "
             f"({figures['bytes'] / 1024:.0f} KB), {figures['saved']:,} punches saved.", "",
             "| step | seconds | SQL statements | peak RSS MB (process) |", "|---|---:|---:|---:|"]
    for name, label in (("preview", "import preview, 17,600 lines"), ("confirm", "import confirm"),
                        ("push", f"ADMS push of {PUSH_LINES:,} punches"),
                        ("sheet_100", "month sheet, 100 staff"), ("sheet_200", "month sheet, 200 staff"),
                        ("sheet_history", "month sheet, 200 staff, a month more of history")):
        f = figures[name]
        lines.append(f"| {label} | {f['seconds']:.2f} | {f['queries']} | {f['peak_mb']:.0f} |")
    lines += ["", f"Preview classes: {figures['preview_counts']}; push answer: {figures['push_answer']!r}.",
              f"Peak RSS before the import: {figures['rss_start']:.0f} MB.", ""]
    return "\n".join(lines)


def run() -> str:
    """Build the hall, run the three measurements and return the figures as Markdown."""
    sys.path.insert(0, str(ROOT))
    from portal import clock
    clock.freeze(FROZEN)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            app = build_app(Path(tmp))
            ids = seed_hall(app)
            with app.app_context():
                data = attlog(month_days(), [str(1000 + n) for n in range(STAFF)])
            figures = {"lines": data.count(b"\n"), "bytes": len(data), "rss_start": rss_mb()}
            import_file(app, ids, data, figures)
            figures["push_answer"] = push(app, ids, figures)
            client = sign_in(app)
            set_active(app, ids["staff"][STAFF // 2:], False)
            month_page(app, client, figures, "sheet_100")
            set_active(app, ids["staff"][STAFF // 2:], True)
            month_page(app, client, figures, "sheet_200")
            older_month(app, ids)
            month_page(app, client, figures, "sheet_history")
            with app.app_context():
                from portal.extensions import db
                db.engine.dispose()
    finally:
        clock.freeze(None)
    text = report(figures)
    print(text)
    return text


if __name__ == "__main__":
    run()
