"""Where a rating tap's time goes, in-process: the portal's WSGI app called directly, no HTTP.

`python -m bench.tap_profile [sqlite|postgres] [N] [--cprofile] [--sql]`: builds bench/ratings.py's hall
(55 windows, 50 evaluators, a month of visits) on a fresh SQLite file (or on BENCH_TAP_PG's PostgreSQL,
which it empties), then for N rounds invites a visit at each evaluator's window and taps it once (every
tenth bad, with its detail, as bench/ratings_served.py does). Prints total and CPU per tap (fastest,
median), the statements of one tap (--sql) and the top functions (--cprofile).
"""
import cProfile
import io
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode


def _environs(app, ids, devices, invitations) -> list[dict]:
    from werkzeug.test import EnvironBuilder
    out = []
    for i, invitation in enumerate(invitations):
        body = urlencode({"csrf_token": devices[i][1], "invitation": invitation,
                          "level": 4 if i % 10 == 0 else 1 + i % 3, "detail": "1"})
        out.append(EnvironBuilder(path=f"/evaluator/{ids['tokens'][i]}/rate", method="POST", data=body,
                                  content_type="application/x-www-form-urlencoded",
                                  headers={"Cookie": devices[i][0], "HX-Request": "true"}).get_environ())
    return out


def _call(app, env):
    status = []
    body = app(dict(env), lambda s, h, e=None: status.append(s))
    data = b"".join(body)
    getattr(body, "close", lambda: None)()
    return status[0], data


def _device(app, token):
    from bench import ratings
    client = app.test_client()
    page = client.get(f"/evaluator/{token}")
    cookie = page.headers["Set-Cookie"].split(";", 1)[0]
    return cookie, ratings._csrf(page.get_data(as_text=True))


def main() -> None:
    from bench import ratings_served
    postgres = "postgres" in sys.argv[1:]
    n = next((int(a) for a in sys.argv[1:] if a.isdigit()), 4)
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        url = ratings_served.postgres_url() if postgres else f"sqlite:///{folder / 'bench.sqlite3'}"
        app, ids = ratings_served._build(folder, url)
        os.environ["DATABASE_URL"] = url
        from portal.extensions import db
        with app.app_context():
            engine = db.engine
        devices = [_device(app, t) for t in ids["tokens"]]
        for env in _environs(app, ids, devices, ratings_served._invite(app, ids)):  # warm
            assert _call(app, env)[0].startswith("200")
        rows, prof = [], cProfile.Profile()
        for _ in range(n):
            for i, env in enumerate(_environs(app, ids, devices, ratings_served._invite(app, ids))):
                began, cpu = time.perf_counter(), time.process_time()
                if "--cprofile" in sys.argv:
                    prof.enable()
                status, body = _call(app, env)
                if "--cprofile" in sys.argv:
                    prof.disable()
                rows.append((i % 10 == 0, (time.perf_counter() - began) * 1e3, (time.process_time() - cpu) * 1e3))
                assert status.startswith("200") and "感谢".encode() in body, (status, body)
        print(f"{len(rows)} taps in-process ({engine.dialect.name}), ms:")
        for label, bad in (("good", False), ("bad, with its case", True)):
            wall = sorted(r[1] for r in rows if r[0] == bad)
            cpu = sorted(r[2] for r in rows if r[0] == bad)
            print(f"  {label}: wall fastest {wall[0]:.3f} p25 {wall[len(wall) // 4]:.3f} median "
                  f"{statistics.median(wall):.3f}; CPU fastest {cpu[0]:.3f} p25 {cpu[len(cpu) // 4]:.3f} "
                  f"median {statistics.median(cpu):.3f}")
        if "--sql" in sys.argv:
            from bench.writes_profile import _statements  # one request's statements, as for the writes
            env = _environs(app, ids, devices, ratings_served._invite(app, ids))
            for label, e in (("good", env[1]), ("bad", env[0])):
                print(f"\nstatements of a {label} tap:")
                print("\n".join(_statements(app, engine, e)))
        if "--cprofile" in sys.argv:
            out = io.StringIO()
            stats = pstats.Stats(prof, stream=out).strip_dirs()
            stats.sort_stats("tottime").print_stats(35)
            stats.sort_stats("cumulative").print_stats(60)
            for name in sys.argv[sys.argv.index("--cprofile") + 1:]:
                stats.print_callees(name)
            print(out.getvalue())


if __name__ == "__main__":
    main()
