"""Where a write's time goes, in-process.

`python -m bench.writes_profile [sqlite|postgres] [N] [--sql] [--cprofile] [--together]`:

On this checkout's bench database (bench/here.py's), signs zhiban and ducha in and calls the portal's WSGI app
directly for N duty-log registrations and N patrol findings (bench/endpoints.py's bodies, with and without a
one-time key), printing total / CPU / SQL (statements) / templates / other Python, fastest and median; --sql lists one
write's statements, --cprofile adds the top functions of each write, --together runs each write from two
processes at once (two sync workers, no HTTP) and prints writes a second.
"""
import cProfile
import io
import json
import pstats
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench import here  # noqa: F401  (its BENCH_WORK / BENCH_PG_DB defaults for this checkout)

WRITES = ("write: duty-log item", "write: patrol finding")


def _csrf(app, cookie: str) -> tuple[str, str]:
    """Return the session cookie holding a CSRF token, and the token (as bench/client.py reads them)."""
    from werkzeug.test import EnvironBuilder

    from bench.profile import _call
    (_s, headers), page = _call(app, EnvironBuilder(path="/password", headers={"Cookie": cookie}).get_environ())
    token = re.search(rb'"X-CSRFToken": "([^"]+)"', page).group(1).decode()
    sent = headers.get("Set-Cookie", "")
    return (sent.split(";", 1)[0] if sent.startswith("halldesk_session=") else cookie), token


def _environs(app, endpoint, ids: dict, cookie: str, csrf: str, n: int, keyed: bool) -> list[dict]:
    """N request environs of the write (variants taken in turn), each with a fresh one-time key if keyed."""
    from werkzeug.test import EnvironBuilder

    from portal.once import FIELD, new_key
    turns = ids.get(endpoint.variants) or [{}]
    out = []
    for i in range(n):
        filled = {**ids, **turns[i % len(turns)]}
        body = {k: v.format(**filled) for k, v in endpoint.body.items()} | {"csrf_token": csrf}
        if keyed:
            body[FIELD] = new_key()
        out.append(EnvironBuilder(path=endpoint.path.format(**filled), method="POST", data=body,
                                  headers={**endpoint.headers, "Cookie": cookie}).get_environ())
    return out


def _time(app, clock, environs) -> list[tuple]:
    from bench.profile import _call
    rows = []
    for env in environs:
        clock.reset()
        started, cpu = time.perf_counter(), time.process_time()
        (status, _h), body = _call(app, env)
        rows.append((time.perf_counter() - started, clock.sql, clock.template, clock.queries, status, len(body),
                     time.process_time() - cpu))
    return rows


def _statements(app, engine, env) -> list[str]:
    """The SQL statements one request sends, in order (first line of each, shortened)."""
    from sqlalchemy import event

    from bench.profile import _call
    seen = []

    def note(_conn, _cursor, statement, *_a):
        seen.append(" ".join(statement.split())[:150])
    event.listen(engine, "before_cursor_execute", note)
    try:
        _call(app, env)
    finally:
        event.remove(engine, "before_cursor_execute", note)
    return seen


def _line(name: str, rows: list[tuple]) -> str:
    fastest = min(rows)
    median = statistics.median(r[0] for r in rows)
    total, sql, tpl, queries, status, size, _cpu = fastest
    statuses = sorted({r[4].split()[0] for r in rows})
    cpu = min(r[6] for r in rows)
    return (f"| {name} | {'/'.join(statuses)} | {total * 1e3:.2f} | {median * 1e3:.2f} | {cpu * 1e3:.2f} "
            f"| {sql * 1e3:.2f} ({queries}) | {tpl * 1e3:.2f} | {max(total - sql - tpl, 0) * 1e3:.2f} | {size} |")


def _cprofile(app, environs, limit: int = 30) -> str:
    from bench.profile import _call
    prof = cProfile.Profile()
    prof.enable()
    for env in environs:
        _call(app, env)
    prof.disable()
    out = io.StringIO()
    stats = pstats.Stats(prof, stream=out).strip_dirs()
    stats.sort_stats("tottime").print_stats(limit)
    stats.sort_stats("cumulative").print_stats(limit)
    return out.getvalue()


def inner(ids: dict, n: int, with_profile: bool) -> None:
    """Sign in, warm up, time each write N times (without and with a one-time key), optionally cProfile it."""
    from bench.endpoints import PORTAL
    from bench.profile import Clock, _sign_in
    from wsgi import app
    clock = Clock()
    engine = clock.attach(app)
    print(f"{n} of each write, in-process ({engine.dialect.name}); ms\n")
    print("| write | status | fastest total | median total | least CPU | SQL (statements) | templates "
          "| other Python | bytes |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    profiles = []
    for e in (e for e in PORTAL if e.name in WRITES):
        cookie = _sign_in(app, e.user)
        cookie, csrf = _csrf(app, cookie)
        _time(app, clock, _environs(app, e, ids, cookie, csrf, 3, False))  # warm: templates compiled
        for keyed in (False, True):
            rows = _time(app, clock, _environs(app, e, ids, cookie, csrf, n, keyed))
            print(_line(e.name + (", one-time key" if keyed else ""), rows))
        if "--sql" in sys.argv:
            statements = _statements(app, engine, _environs(app, e, ids, cookie, csrf, 1, True)[0])
            profiles.append((f"statements: {e.name}, with one-time key", "\n".join(statements) + "\n"))
        if with_profile:
            profiles.append((f"cProfile: {e.name} ({n} requests, with one-time key)",
                             _cprofile(app, _environs(app, e, ids, cookie, csrf, n, True))))
    for name, text in profiles:
        print(f"\n### {name}\n```\n{text}```")


def _worker(args) -> tuple[float, float, dict]:
    """One worker process: N writes of one kind as fast as it can, once every worker is ready."""
    name, ids, n, ready, go = args
    from bench.endpoints import PORTAL
    from bench.profile import _call, _sign_in
    from wsgi import app
    e = next(x for x in PORTAL if x.name == name)
    cookie = _sign_in(app, e.user)
    cookie, csrf = _csrf(app, cookie)
    environs = _environs(app, e, ids, cookie, csrf, n, True)
    waited = _time_begins(app)
    ready.release()
    go.wait()
    statuses: dict = {}
    started, cpu = time.perf_counter(), time.process_time()
    for env in environs:
        (status, _h), _body = _call(app, env)
        statuses[status] = statuses.get(status, 0) + 1
    return time.perf_counter() - started, time.process_time() - cpu, statuses, waited[0]


def _time_begins(app) -> list[float]:
    """Add up the time transactions take to begin (on SQLite: waiting for the write lock)."""
    from sqlalchemy import event

    from portal.extensions import db
    with app.app_context():
        engine = db.engine
    waited, begun = [0.0], [0.0]
    portal_listeners = list(engine.dispatch.begin)
    for fn in portal_listeners:
        event.remove(engine, "begin", fn)
    event.listen(engine, "begin", lambda _c: begun.__setitem__(0, time.perf_counter()))
    for fn in portal_listeners:
        event.listen(engine, "begin", fn)
    event.listen(engine, "begin", lambda _c: waited.__setitem__(0, waited[0] + time.perf_counter() - begun[0]))
    return waited


def together(ids: dict, n: int, workers: int = 2) -> None:
    """Run each write from several processes at once (sync workers of one server, without HTTP)."""
    import multiprocessing
    ctx = multiprocessing.get_context("spawn")
    print(f"\n{workers} processes at once, {n} writes each (each with a one-time key)\n")
    print("| write | writes/s | wall s | CPU s (all workers) | waiting to begin s (all workers) | answers |")
    print("|---|---:|---:|---:|---:|---|")
    for name in WRITES:
        manager = ctx.Manager()
        ready, go = manager.Semaphore(0), manager.Event()
        with ctx.Pool(workers) as pool:
            runs = pool.map_async(_worker, [(name, ids, n, ready, go)] * workers)
            for _ in range(workers):
                ready.acquire()
            go.set()
            results = runs.get(timeout=600)
        wall = max(r[0] for r in results)
        answers: dict = {}
        for r in results:
            for k, v in r[2].items():
                answers[k] = answers.get(k, 0) + v
        print(f"| {name} | {workers * n / wall:.0f} | {wall:.2f} | {sum(r[1] for r in results):.2f} | "
              f"{sum(r[3] for r in results):.2f} | {', '.join(f'{k}: {v}' for k, v in sorted(answers.items()))} |")
        manager.shutdown()


def main() -> int:
    """Prepare (or keep) the bench database, then time the writes in a process of its own."""
    if sys.argv[1:2] == ["--inner"]:
        ids, n = json.loads(Path(sys.argv[2]).read_text()), int(sys.argv[3])
        inner(ids, n, "--cprofile" in sys.argv)
        if "--together" in sys.argv:
            together(ids, n)
        return 0
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    db = args[0] if args else "sqlite"
    n = args[1] if len(args) > 1 else "40"
    from bench import run
    from bench.generate import discover_ids
    env = run.prepare(db, 1, label=db, keep=True)
    ids = Path(env["HALLDESK_INSTANCE"]) / "writes-ids.json"  # the writes' variants: too long for argv
    ids.write_text(json.dumps(discover_ids(env)))
    command = [str(run.VENV / "python"), "-m", "bench.writes_profile", "--inner", str(ids), n]
    flags = [a for a in sys.argv[1:] if a in ("--cprofile", "--sql", "--together")]
    return subprocess.run(command + flags, cwd=run.ROOT, env=env).returncode


if __name__ == "__main__":
    sys.exit(main())
