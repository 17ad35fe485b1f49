"""make bench: a hall's year on SQLite and PostgreSQL, served by gunicorn beside a bare Flask hello and
hand-written versions of the same pages, loaded with wrk in one interleaved run."""
import argparse
import os
import platform
import random
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlencode

from bench import memory, wrk
from bench.client import Session
from bench.endpoints import ENDPOINTS, HELLO

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv" / "bin"
WORK = Path(os.environ.get("BENCH_WORK", "/tmp/halldesk-bench"))  # one per checkout when several run
PASSWORD = "hall-demo-2026"
PG_PORT = int(os.environ.get("PG_PORT", "54329"))
PG_DB = os.environ.get("BENCH_PG_DB", "halldesk_bench")  # the grown one gets a suffix
FIRST_PORT = 5600
APPS = {"portal": "wsgi:app", "bare": "bench.bare:app", "hand": "bench.handwritten:app"}
DEVICE = "device:"  # an Endpoint.user of a public device (an evaluator's token), not a person signing in
TAP_POOL = 20000  # visits waiting for the rating tap: more than its rounds send on either database
TAKEN: dict = {}  # a write's variants taken so far (a rating tap's visit is rated once): the next round goes on


def _source_key() -> str:
    """What a database's contents follow from: the schema, the demo data and the history generator."""
    import hashlib
    files = sorted([*(ROOT / "migrations" / "versions").glob("*.py"), *(ROOT / "portal").rglob("*demo*.py"),
                    ROOT / "portal" / "cli.py", ROOT / "bench" / "history.py", ROOT / "bench" / "generate.py"])
    digest = hashlib.sha256()
    for path in files:
        # history.ids() only names what the endpoints use: it makes no rows.
        digest.update(path.name.encode() + path.read_bytes().split(b"\ndef ids(")[0])
    return digest.hexdigest()


def _pg_has(database: str) -> bool:
    """Say whether the test cluster still holds the database (a restarted cluster starts empty)."""
    found = subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(PG_PORT), "-U", "postgres", "-tAc",
                            f"SELECT 1 FROM pg_database WHERE datname = '{database}'"], capture_output=True, text=True)
    return found.stdout.strip() == "1"


def prepare(db: str, scale: int, halls: int = 1, label: str = "", keep: bool = False,
            database: str | None = None) -> dict:
    """Make a fresh database with the demo hall and the synthetic history; return the server env.

    keep: a grown database (years or halls that take minutes to generate) made from the same sources as
    now is used again; it is only read while measured. database: the PostgreSQL database's own name.
    """
    name = "".join(c if c.isalnum() else "_" for c in (label or db)).strip("_")
    inst = WORK / name
    env = {**os.environ, "HALLDESK_ENV": "bench", "HALLDESK_INSTANCE": str(inst)}
    env.pop("DATABASE_URL", None)
    database = database or (PG_DB if label == db else f"{PG_DB}_grown")
    if db == "postgres":
        env["DATABASE_URL"] = f"postgresql+psycopg://postgres@127.0.0.1:{PG_PORT}/{database}"
    stamp, key = inst / "made-from", f"{_source_key()} {scale} {halls}"
    if db == "postgres":
        subprocess.run(["scripts/pg-test.sh", "start", "/tmp/halldesk-pg", str(PG_PORT)], cwd=ROOT, check=True,
                       capture_output=True)
    if keep and stamp.exists() and stamp.read_text() == key and (db != "postgres" or _pg_has(database)):
        print(f"{label}: database kept from an earlier run of the same sources", flush=True)
        return env
    shutil.rmtree(inst, ignore_errors=True)
    inst.mkdir(parents=True)
    if db == "postgres":
        base = ["psql", "-h", "127.0.0.1", "-p", str(PG_PORT), "-U", "postgres", "-qc"]
        subprocess.run(base + [f"DROP DATABASE IF EXISTS {database}"], check=True)
        subprocess.run(base + [f"CREATE DATABASE {database}"], check=True)
    flask = [str(VENV / "flask"), "--app", "wsgi"]
    for step in (["db", "upgrade"], ["demo-data"]):
        subprocess.run(flask + step, cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run([str(VENV / "python"), "-m", "bench.generate", "--scale", str(scale), "--halls", str(halls)],
                   cwd=ROOT, env=env, check=True)
    stamp.write_text(key)
    return env


def serve(env: dict, port: int, workers: int, app: str = APPS["portal"]):
    """Start gunicorn (sync workers) and wait until it answers."""
    log = open(WORK / f"gunicorn-{port}.log", "w")
    proc = subprocess.Popen([str(VENV / "gunicorn"), "--workers", str(workers), "--worker-class", "sync",
                             "--bind", f"127.0.0.1:{port}", "--log-level", "warning", app],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    for _ in range(150):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("gunicorn did not start; see " + log.name)


def _body(endpoint, session, ids: dict) -> dict | None:
    """A write's form fields with the discovered ids filled in and the session's CSRF token."""
    if endpoint.body is None:
        return None
    return {**{k: v.format(**ids) for k, v in endpoint.body.items()}, "csrf_token": session.csrf}


def probe(session: Session, endpoint, ids: dict) -> dict:
    """Request once: bytes, queries, status, and the ETag for conditional endpoints."""
    path = endpoint.path.format(**ids)
    body = _body(endpoint, session, ids)
    response, content = session.request(endpoint.method, path, body, endpoint.headers)
    return {"path": path, "status": response.status, "bytes": len(content),
            "queries": int(response.getheader("X-Query-Count") or 0), "etag": response.getheader("ETag")}


def _plan(endpoints, servers: dict, db: str) -> list:
    """Each (endpoint, connections, server label) a round loads."""
    plan = []
    for e in [HELLO] + [e for e in endpoints if e.postgres or db != "postgres"]:
        kinds = [e.server] + (["grown"] if e.grows and "grown" in servers else [])
        plan += [(e, c, kind) for c in e.connections for kind in kinds if kind in servers]
    return plan


def measure(servers: dict, endpoints, rounds: int, seconds: int, db: str = "sqlite") -> dict:
    """Load every endpoint on its server, round after round in a shuffled order; keep every figure.

    servers: kind (bare, hand, portal, grown) -> (port, sessions, ids), served at the same time, so a
    comparison between them (portal against bare hello, one year against five) is not skewed by the
    machine being busier at another time.
    """
    results = {kind: {} for kind in servers}
    for endpoint, _conns, kind in _plan(endpoints, servers, db):
        port, sessions, ids = servers[kind]
        for _ in range(2 if endpoint.method == "GET" else 0):  # both workers compile the templates first
            probe(sessions[endpoint.user], endpoint, ids)
    for rnd in range(rounds):
        plan = _plan(endpoints, servers, db)
        random.Random(rnd).shuffle(plan)
        for endpoint, conns, kind in plan:
            port, sessions, ids = servers[kind]
            figures = _load(port, endpoint, conns, sessions[endpoint.user], ids, seconds)
            results[kind].setdefault((endpoint.name, conns), []).append({**figures, "round": rnd})
    return results


def _within_one_minute(seconds: int) -> None:
    """Wait for the next minute when a run of this length would cross into it.

    A poll's tag may carry the minute (the desk's does: late and overdue move with time), so a run that
    crosses a minute measures full answers after it: every 304 endpoint is measured inside one minute.
    """
    left = 60 - time.time() % 60
    if left < seconds + 2:
        time.sleep(left + 0.2)


def _load(port: int, endpoint, conns: int, session, ids: dict, seconds: int) -> dict:
    if endpoint.conditional:
        _within_one_minute(seconds)
    variants = ids.get(endpoint.variants) if endpoint.variants else None
    start = TAKEN.get((endpoint.name, port), 0)  # each round goes on where the last one stopped
    if variants and endpoint.once:
        if start + 1 >= len(variants):
            print(f"{endpoint.name}: its {len(variants)} variants are used up; they are taken again (409s)",
                  flush=True)
        start %= len(variants)
        info = probe(session, endpoint, {**ids, **variants[start]})  # the probe takes a fresh one too
        start += 1
    else:
        info = probe(session, endpoint, ids)
    if variants:
        start %= len(variants)
    headers = {**endpoint.headers}
    if session.cookie:
        headers["Cookie"] = session.cookie
    if endpoint.conditional and info["etag"]:
        headers["If-None-Match"] = info["etag"]
        # What is measured is the conditional answer: its size and queries, not the first full one.
        conditional = replace(endpoint, headers={**endpoint.headers, "If-None-Match": info["etag"]})
        info = {**probe(session, conditional, ids), "etag": info["etag"]}
    body = _body(endpoint, session, ids)
    turns = None
    if body is not None:
        body = urlencode(body)
    if body is not None and variants:
        turns = [(endpoint.path.format(**{**ids, **v}), urlencode(_body(endpoint, session, {**ids, **v})))
                 for v in variants]
        turns = turns[start:] + turns[:start]
    figures = wrk.run(f"http://127.0.0.1:{port}{info['path']}", conns, seconds, headers, body, turns)
    if turns:
        TAKEN[(endpoint.name, port)] = start + int(figures["rps"] * seconds * 1.2) + 100
    if endpoint.method != "GET":
        time.sleep(1)  # let the writes still queued in the workers land before the next probe
    return {**figures, **info}


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
    mem = next((line.split()[1] for line in open("/proc/meminfo") if line.startswith("MemTotal")), "0")
    sqlite = subprocess.run([str(VENV / "python"), "-c", "import sqlite3;print(sqlite3.sqlite_version)"],
                            capture_output=True, text=True).stdout.strip()
    return (f"{os.cpu_count()} cores ({cpu}), {int(mem) // 1024 // 1024} GiB, {platform.platform()}, "
            f"Python {platform.python_version()}, SQLite {sqlite}")


def _sessions(port: int) -> dict:
    sessions = {None: Session(port)}
    for login in {e.user for e in ENDPOINTS if e.user}:
        sessions[login] = Session(port)
        if login.startswith(DEVICE):  # a public device: its page's session holds the CSRF token
            _, page = sessions[login].request("GET", f"/evaluator/{login.removeprefix(DEVICE)}")
            sessions[login].csrf = re.search(rb'"X-CSRFToken": "([^"]+)"', page).group(1).decode()
        else:
            sessions[login].sign_in(login, PASSWORD)
    return sessions


def prepare_all(groups: dict, keep_all: bool = False) -> dict:
    """Make every database of the run at once (db -> kind -> (env, label)); generating is not measured."""
    from concurrent.futures import ThreadPoolExecutor
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = {(db, kind): (pool.submit(prepare, db, scale, halls, label, keep_all or kind == "grown"), label)
                   for db, runs in groups.items() for kind, (scale, halls, label) in runs.items()}
        envs = {}
        for (db, kind), (future, label) in futures.items():
            envs.setdefault(db, {})[kind] = (future.result(), label)
    print(f"databases ready in {time.monotonic() - started:.0f} s", flush=True)
    return envs


def _profile(env: dict, ids: dict) -> str:
    """Where one request's time goes, page by page (bench/profile.py, in a process of its own)."""
    import json
    reads = {k: v for k, v in ids.items() if not isinstance(v, list)}  # the writes' variants: too long for argv
    done = subprocess.run([str(VENV / "python"), "-m", "bench.profile", json.dumps(reads)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)
    return done.stdout if done.returncode == 0 else "(profile failed)\n" + done.stderr[-2000:]


def _chosen(only: str) -> list:
    """The endpoints named (comma-separated parts of their names) by --only, or all of them."""
    parts = [p.strip() for p in only.split(",") if p.strip()]
    return [e for e in ENDPOINTS if not parts or any(p in e.name for p in parts)]


def run_group(db: str, envs: dict, args, first_port: int) -> dict:
    """Serve one database kind (its one-year database, grown one, bare and hand-written apps) and measure."""
    procs, servers = [], {}
    started = time.monotonic()
    try:
        ports = {}
        kinds = [("bare", "portal"), ("hand", "portal"), ("portal", "portal")] + (
            [("grown", "grown")] if "grown" in envs else [])
        for n, (kind, data) in enumerate(kinds):
            ports[kind] = first_port + n
            app = APPS["portal"] if kind == "grown" else APPS[kind]
            procs.append((kind, serve(envs[data][0], ports[kind], args.workers, app)))
        from bench.generate import discover_ids
        ids = {data: discover_ids({**env, "BENCH_TAP_POOL": str(TAP_POOL)}) for data, (env, _label) in envs.items()}
        for kind, data in kinds:
            port = ports[kind]
            servers[kind] = (port, _sessions(port) if kind in ("portal", "grown") else {None: Session(port)},
                             ids[data])
        pids = dict(procs)["portal"].pid
        # Memory is the same Python on either database: checked on the first one measured.
        mem = memory.measure(servers["portal"], pids) if args.memory and first_port == FIRST_PORT else None
        measured = measure(servers, _chosen(args.only), args.rounds, args.seconds, db)
        out = {"label": envs["portal"][1], "grown": envs["grown"][1] if "grown" in envs else None,
               "results": measured, "memory": mem, "profile": _profile(envs["portal"][0], ids["portal"]),
               "locked": {k: (WORK / f"gunicorn-{p}.log").read_text().count("database is locked")
                          for k, p in ports.items()}}
        print(f"{db}: measured in {time.monotonic() - started:.0f} s", flush=True)
        return out
    finally:
        for _kind, proc in procs:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=30)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--scale", type=int, default=1, help="years of history (5 = five years)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", default=str(ROOT / "bench" / "RESULTS.md"))
    parser.add_argument("--growth-scale", type=int, default=5,
                        help="also serve SQLite with this many years to check flat cost (0 skips)")
    parser.add_argument("--growth-halls", type=int, default=10,
                        help="also serve PostgreSQL with this many halls (a county's database) and the "
                             "first hall's pages measured (0 skips)")
    parser.add_argument("--memory", type=int, default=1, help="0 skips the worker memory check")
    parser.add_argument("--inprocess", type=int, default=1, help="0 skips the capabilities' in-process figures")
    parser.add_argument("--keep-databases", action="store_true",
                        help="use the one-year databases of an earlier run again too (trying the bench itself)")
    parser.add_argument("--only", default="",
                        help="measure only the endpoints whose names contain one of these comma-separated parts "
                             "(a short comparison while working; the bare hello is always measured)")
    parser.add_argument("--pdf-repeat", type=int, default=0, help="0 skips the PDF measurements")
    args = parser.parse_args()
    dbs = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    groups = {}
    for db in dbs:
        groups[db] = {"portal": (args.scale, 1, db)}
        if db == "sqlite" and args.growth_scale and args.growth_scale != args.scale:
            groups[db]["grown"] = (args.growth_scale, 1, f"sqlite, {args.growth_scale} years")
        if db == "postgres" and args.growth_halls > 1:
            groups[db]["grown"] = (args.scale, args.growth_halls, f"postgres, {args.growth_halls} halls")
    started = time.monotonic()
    envs = prepare_all(groups, args.keep_databases)
    measured = {db: run_group(db, envs[db], args, FIRST_PORT + 10 * n) for n, db in enumerate(groups)}
    from bench.report import render
    text = render(measured, machine(), args)
    if args.inprocess:
        from bench.inprocess import run_all
        text += "\n" + run_all()
    if args.pdf_repeat:
        from bench.pdf_bench import run as pdf_run
        text += "\n" + pdf_run(repeat=args.pdf_repeat)
    text += f"\nWhole run: {(time.monotonic() - started) / 60:.1f} minutes.\n"
    Path(args.out).write_text(text)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    sys.exit(main())
