"""make bench: generate a hall's year, serve it with gunicorn on SQLite and PostgreSQL, load it with wrk."""
import argparse
import os
import platform
import random
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

from bench import wrk
from bench.client import Session
from bench.endpoints import ENDPOINTS, HELLO

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv" / "bin"
WORK = Path("/tmp/halldesk-bench")
PASSWORD = "hall-demo-2026"
PG_PORT = int(os.environ.get("PG_PORT", "54329"))


def prepare(db: str, scale: int, halls: int = 1, label: str = "") -> dict:
    """Make a fresh database with the demo hall and the synthetic history; return the server env."""
    name = "".join(c if c.isalnum() else "_" for c in (label or db)).strip("_")
    inst = WORK / name
    shutil.rmtree(inst, ignore_errors=True)
    inst.mkdir(parents=True)
    env = {**os.environ, "HALLDESK_ENV": "bench", "HALLDESK_INSTANCE": str(inst)}
    if db == "postgres":
        subprocess.run(["scripts/pg-test.sh", "start", "/tmp/halldesk-pg", str(PG_PORT)], cwd=ROOT, check=True)
        base = ["psql", "-h", "127.0.0.1", "-p", str(PG_PORT), "-U", "postgres", "-qc"]
        subprocess.run(base + [f"DROP DATABASE IF EXISTS bench_{name}"], check=True)
        subprocess.run(base + [f"CREATE DATABASE bench_{name}"], check=True)
        env["DATABASE_URL"] = f"postgresql+psycopg://postgres@127.0.0.1:{PG_PORT}/bench_{name}"
    else:
        env.pop("DATABASE_URL", None)
    flask = [str(VENV / "flask"), "--app", "wsgi"]
    for step in (["db", "upgrade"], ["demo-data"]):
        subprocess.run(flask + step, cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run([str(VENV / "python"), "-m", "bench.generate", "--scale", str(scale), "--halls", str(halls)],
                   cwd=ROOT, env=env, check=True)
    return env


def serve(env: dict, port: int, workers: int):
    """Start gunicorn (sync workers) and wait until it answers."""
    log = open(WORK / f"gunicorn-{port}.log", "w")
    proc = subprocess.Popen([str(VENV / "gunicorn"), "--workers", str(workers), "--worker-class", "sync",
                             "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "wsgi:app"],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    for _ in range(100):
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


def measure(targets: list, endpoints, rounds: int, seconds: int) -> dict:
    """Interleave every endpoint and connection count over several rounds; keep every figure.

    targets: (label, port, sessions, ids) of servers measured side by side: each step of the plan
    loads them one after the other (in a shuffled order), so a comparison between them (one year
    against five, one hall against ten) is not skewed by the machine being busier at another time.
    """
    results = {label: {} for label, *_ in targets}
    for rnd in range(rounds):
        plan = [(e, c) for e in [HELLO] + endpoints for c in e.connections]
        rng = random.Random(rnd)
        rng.shuffle(plan)
        for endpoint, conns in plan:
            for label, port, sessions, ids in rng.sample(targets, len(targets)):
                figures = _load(port, endpoint, conns, sessions[endpoint.user], ids, seconds)
                results[label].setdefault((endpoint.name, conns), []).append({**figures, "round": rnd})
    return results


def _load(port: int, endpoint, conns: int, session, ids: dict, seconds: int) -> dict:
    info = probe(session, endpoint, ids)
    headers = {**endpoint.headers}
    if session.cookie:
        headers["Cookie"] = session.cookie
    if endpoint.conditional and info["etag"]:
        headers["If-None-Match"] = info["etag"]
    body = _body(endpoint, session, ids)
    turns = None
    if body is not None:
        body = urlencode(body)
    if body is not None and endpoint.variants:
        turns = [(endpoint.path.format(**{**ids, **v}), urlencode(_body(endpoint, session, {**ids, **v})))
                 for v in ids[endpoint.variants]]
    figures = wrk.run(f"http://127.0.0.1:{port}{info['path']}", conns, seconds, headers, body, turns)
    if endpoint.method != "GET":
        time.sleep(3)  # let the writes still queued in the workers land before the next probe
    return {**figures, **info}


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
    mem = next((line.split()[1] for line in open("/proc/meminfo") if line.startswith("MemTotal")), "0")
    sqlite = subprocess.run([str(VENV / "python"), "-c", "import sqlite3;print(sqlite3.sqlite_version)"],
                            capture_output=True, text=True).stdout.strip()
    return (f"{os.cpu_count()} cores ({cpu}), {int(mem) // 1024 // 1024} GiB, {platform.platform()}, "
            f"Python {platform.python_version()}, SQLite {sqlite}")


def report(all_results: dict, args) -> str:
    from bench.report import render
    return render(all_results, machine(), args)


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
    parser.add_argument("--pdf-repeat", type=int, default=3, help="0 skips the PDF measurements")
    args = parser.parse_args()
    all_results = {}
    dbs = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    # Each group is served at once and measured side by side: a database with one hall and one year,
    # and the same database grown (five years on SQLite, ten halls on PostgreSQL).
    groups = {db: [(db, args.scale, 1, db)] for db in dbs}
    if args.growth_scale and args.growth_scale != args.scale and "sqlite" in dbs:
        groups["sqlite"].append(("sqlite", args.growth_scale, 1, f"sqlite, {args.growth_scale} years"))
    if args.growth_halls > 1 and "postgres" in dbs:
        groups["postgres"].append(("postgres", args.scale, args.growth_halls, f"postgres, {args.growth_halls} halls"))
    number = 0
    for runs in groups.values():
        servers = []
        try:
            for db, scale, halls, label in runs:
                env = prepare(db, scale, halls, label)
                port = 5600 + number
                number += 1
                servers.append((label, port, env, serve(env, port, args.workers)))
            targets = []
            for label, port, env, _proc in servers:
                sessions = {None: Session(port)}
                for login in {e.user for e in ENDPOINTS if e.user}:
                    sessions[login] = Session(port)
                    sessions[login].sign_in(login, PASSWORD)
                from bench.generate import discover_ids
                targets.append((label, port, sessions, discover_ids(env)))
            measured = measure(targets, ENDPOINTS, args.rounds, args.seconds)
            for label, port, _env, _proc in servers:
                all_results[label] = measured[label]
                all_results[label]["_locked"] = (WORK / f"gunicorn-{port}.log").read_text().count("database is locked")
        finally:
            for *_rest, proc in servers:
                proc.send_signal(signal.SIGTERM)
                proc.wait(timeout=30)
    text = report(all_results, args)
    if args.pdf_repeat:
        from bench.pdf_bench import run as pdf_run
        text += "\n" + pdf_run(repeat=args.pdf_repeat)
    Path(args.out).write_text(text)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    sys.exit(main())
