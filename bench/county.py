"""County speed (#15): ten halls on one PostgreSQL served by two app servers, against one server.

Method. One PostgreSQL database holds the demo center, its two demo stations and the generated halls
(`bench.generate --halls 10`, made stations of the center here), a year of history each. Two gunicorn
servers (2 sync workers each, their own instance folders, the same SECRET_KEY) serve it on this machine.
A person signs in once, on server A; server B takes the same cookie (sessions live in the database).
Every hot page and poll is loaded with wrk for SECONDS through A alone and through B alone, one right
after the other (A first or B first, in turn), in a shuffled order over ROUNDS rounds (side by side, so
the machine's mood affects both alike); the median of the rounds is kept. "B / A" is the figure through
the second server over the first: within 10% means nothing a request needs lives on one server. Then
both are loaded at once (half the connections each) to show the two servers share this machine's two
cores (on two machines each carries the one-server figure). The league table's statements are counted
in-process for the first 2 and for all the halls.

Honesty. wrk counts every answer by its status: the table gives, per page and poll, each 4xx/5xx
status and how often, socket errors (connect/read/write), timeouts and a poll's 304 share, over every
load; a probe that is not a 200 (with an ETag, for a poll) is named, and so is every exception the two
servers logged (their logs are kept under BENCH_WORK). A figure from failed answers is no figure.

Capacity. A sync worker is busy for the whole of a request, so one 2-core server (2 workers) is
modelled as a budget of busy time: a request of a kind measured at R requests/s costs 1/R seconds of
the server. A hall's load per second is its tablets' desk and inbox polls, its screens' polls, its
evaluators' polls and its staff's inbox bar polls (all unchanged: 304) plus page views; the number of
halls (or tablets, or screens) one server carries is what keeps it at most HEADROOM busy.
"""
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HALLS, SECONDS, ROUNDS, CONNECTIONS = 10, 4, 3, 10
HEADROOM = 0.5  # plan for half the server's busy time: room for bursts, imports, PDFs being fetched
INTERVALS = (5, 10, 20, 30)  # poll every N seconds
# A hall as the model counts it (the demo center's size): per hall, at each poll interval N.
TABLETS, SCREENS, EVALUATORS, STAFF = 2, 2, 55, 120
PAGES_PER_STAFF_MINUTE = 0.25  # a page view every 4 minutes per member of staff, in office hours
INBOX_SECONDS = 60  # the top bar's poll (INBOX_POLL_SECONDS)
EVALUATOR_SECONDS = 2  # evaluation.evaluator_poll_seconds


def _hot(ids: dict) -> list:
    """Return (name, login, path, headers, conditional) of the pages and polls measured."""
    poll = {"HX-Request": "true", "X-HallDesk-Poll": "1"}
    return [
        ("duty desk page", "zhiban", "/duty/", {}, False),
        ("duty desk poll, unchanged (304)", "zhiban", "/duty/live", poll, True),
        ("notice board list", "chuangkou", "/notices/", {}, False),
        ("inbox top-bar poll, unchanged (304)", "lingdao", "/inbox/bar", poll, True),
        ("hall screen poll, unchanged (304)", None, f"/display/{ids['screen']}/content", {}, True),
        ("evaluator poll, unchanged (304)", None, "/evaluator/demo-evaluator-1/state", {}, True),
        ("county league table", "xianducha", "/county/league", {}, False),
        ("station star ratings list", "xianducha", "/county/ratings", {}, False),
    ]


def _prepare() -> dict:
    """Make the county's database: the demo, ten generated halls as the center's stations.

    The database (BENCH_PG_DB + "_county", its own: make bench's grown one stays untouched) is kept for
    the next run while the sources it follows from (migrations, demo data, generators) are unchanged,
    and made again otherwise: a database of older migrations answered every screen poll with a 500.
    """
    from bench.run import PG_DB, PG_PORT, WORK, prepare
    database, stamp = f"{PG_DB}_county", WORK / "county" / "made-from"
    found = subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(PG_PORT), "-U", "postgres", "-tAc",
                            f"SELECT 1 FROM pg_database WHERE datname = '{database}'"], capture_output=True, text=True)
    if found.stdout.strip() != "1":
        stamp.unlink(missing_ok=True)  # the stamp outlived its database (a new PostgreSQL cluster)
    env = prepare("postgres", 1, HALLS, "county", keep=True, database=database)
    sql = ("UPDATE hall SET parent_id = (SELECT min(id) FROM hall), level = 'township' "
           "WHERE name LIKE '%（第%厅）'")
    subprocess.run(["psql", env["DATABASE_URL"].replace("+psycopg", ""), "-qc", sql], check=True)
    return env


def _servers(env: dict) -> list:
    from bench.run import WORK, serve
    out = []
    for n, name in enumerate(("a", "b")):
        inst = WORK / f"county-{name}"
        inst.mkdir(parents=True, exist_ok=True)
        server_env = {**env, "HALLDESK_INSTANCE": str(inst), "SECRET_KEY": "bench-county-shared-secret-0123456789"}
        out.append((name, 5690 + n, serve(server_env, 5690 + n, 2)))
    return out


def _sessions(port: int, logins) -> dict:
    from bench.client import Session
    from bench.run import PASSWORD
    sessions = {None: Session(port)}
    for login in logins:
        sessions[login] = Session(port)
        sessions[login].sign_in(login, PASSWORD)
    return sessions


def _probe(session, path: str, headers: dict, conditional: bool) -> tuple[dict, str]:
    """Return the headers a load sends (cookie, the answer's ETag for a poll) and what was wrong, if anything."""
    response, _body = session.request("GET", path, None, headers)
    out = dict(headers)
    if session.cookie:  # as the probe's answer left it
        out["Cookie"] = session.cookie
    etag = response.getheader("ETag")
    if conditional and etag:
        out["If-None-Match"] = etag
    wrong = "" if response.status == 200 and (etag or not conditional) else \
        f"answered {response.status}{'' if etag or not conditional else ' without an ETag'}"
    return out, wrong


def _load(ports: list, path: str, headers: dict, seconds: int) -> dict:
    """Load the path through the given servers at once (the connections split); return summed figures."""
    from bench import wrk
    per = max(1, CONNECTIONS // len(ports))
    procs = []
    with ThreadPoolExecutor(2) as pool:
        for port in ports:
            procs.append(pool.submit(wrk.run, f"http://127.0.0.1:{port}{path}", per, seconds, headers,
                                     statuses=True))
        found = [p.result() for p in procs]
    statuses = {}
    for f in found:
        for code, n in f["statuses"].items():
            statuses[code] = statuses.get(code, 0) + n
    return {"rps": sum(f["rps"] for f in found), "p50": max(f["p50"] for f in found), "statuses": statuses,
            **{k: sum(f["socket"].get(k, 0) for f in found) for k in ("connect", "read", "write", "timeout")}}


def measure(servers: list, ids: dict, rounds: int = ROUNDS, seconds: int = SECONDS, only: str = "") -> dict:
    """Return {name: {"A": [...], "B": [...], "A+B": [...], "warm": [...], "wrong": [...], ...}}, a row a load.

    The ETag is asked for just before each load (through A; B takes A's cookie and ETag): a screen's tag
    moves every DISPLAY_SIDE_DATA_SECONDS, and a tag older than that would make every poll a 200.
    """
    hot = [h for h in _hot(ids) if only in h[0]]
    (_a, port_a, _pa), (_b, port_b, _pb) = servers
    sessions = _sessions(port_a, {login for _n, login, *_ in hot if login})
    results = {name: {"A": [], "B": [], "A+B": [], "warm": [], "wrong": [], "conditional": conditional}
               for name, _login, _path, _headers, conditional in hot}

    def load(name, login, path, headers, conditional, label, ports, secs):
        sent, wrong = _probe(sessions[login], path, headers, conditional)
        if wrong:
            results[name]["wrong"].append(wrong)
        results[name][label].append(_load(ports, path, sent, secs))

    for name, *rest in hot:  # warm both servers' workers (caches, connections)
        for port in (port_a, port_b):
            load(name, *rest, "warm", [port], 1)
    names = [name for name, *_ in hot]
    for rnd in range(rounds):
        plan = list(hot)
        random.Random(rnd).shuffle(plan)
        for name, *rest in plan:
            for label in ("A", "B") if (rnd + names.index(name)) % 2 else ("B", "A"):
                load(name, *rest, label, [port_a if label == "A" else port_b], seconds)
            load(name, *rest, "A+B", [port_a, port_b], seconds)
    return results


LEAGUE_QUERIES = """
from sqlalchemy import event, select
from portal.county import league
from portal.extensions import db
from portal.org.models import Hall
from wsgi import app
seen = []
with app.test_request_context("/"):
    halls = db.session.execute(select(Hall).order_by(Hall.id)).scalars().all()
    counts = []
    league.table(halls[:2], 2026, 11)  # the request's rulebook read, made once by every request anyway
    for some in (halls[:2], halls):
        listener = lambda *args: seen.append(1)
        event.listen(db.engine, "before_cursor_execute", listener)
        league.table(some, 2026, 11)
        event.remove(db.engine, "before_cursor_execute", listener)
        counts.append(len(seen))
        seen.clear()
    print(len(halls), *counts)
"""


def league_queries(env: dict) -> tuple[int, int, int]:
    """Count the league table's statements for the first 2 halls and for all of them (in-process)."""
    found = subprocess.run([str(ROOT / ".venv/bin/python"), "-c", LEAGUE_QUERIES], cwd=ROOT, env=env,
                           capture_output=True, text=True, check=True).stdout.split()
    return int(found[-3]), int(found[-2]), int(found[-1])


def _median(rows: list, key: str) -> float:
    return statistics.median(r[key] for r in rows)


def capacity(rates: dict) -> list[tuple]:
    """Return (N, tablets, screens, halls) one 2-core server carries at HEADROOM busy, polls every N s."""
    cost = {k: 1 / v for k, v in rates.items() if v}
    desk = cost["duty desk poll, unchanged (304)"] + cost["inbox top-bar poll, unchanged (304)"]
    screen, page = cost["hall screen poll, unchanged (304)"], statistics.mean(
        [cost["duty desk page"], cost["notice board list"]])
    evaluators = EVALUATORS * cost["evaluator poll, unchanged (304)"] / EVALUATOR_SECONDS
    staff = STAFF * (cost["inbox top-bar poll, unchanged (304)"] / INBOX_SECONDS + page * PAGES_PER_STAFF_MINUTE / 60)
    out = []
    for n in INTERVALS:
        hall = TABLETS * desk / n + SCREENS * screen / n + evaluators + staff
        out.append((n, int(HEADROOM * n / desk), int(HEADROOM * n / screen), int(HEADROOM / hall)))
    return out


def _answers(rows: list) -> dict:
    """Sum the loads' answers by status."""
    total = {}
    for r in rows:
        for code, n in r["statuses"].items():
            total[code] = total.get(code, 0) + n
    return total


def _row(name: str, by: dict) -> tuple[str, int]:
    """One endpoint's table row (medians of the rounds; answers and errors of every load, warm-ups too)."""
    a, b, both = (_median(by[k], "rps") for k in ("A", "B", "A+B"))
    every = [r for k in ("warm", "A", "B", "A+B") for r in by[k]]
    answers = _answers(every)
    bad = sum(n for code, n in answers.items() if code >= 400)
    codes = ", ".join(f"{n} × {code}" for code, n in sorted(answers.items()) if code >= 400) or "0"
    unchanged = f"{answers.get(304, 0) / max(1, sum(answers.values())):.1%}" if by["conditional"] else "–"
    sockets = "/".join(str(sum(r[k] for r in every)) for k in ("connect", "read", "write"))
    timeouts = sum(r["timeout"] for r in every)
    return (f"| {name} | {a:.0f} | {b:.0f} | {b / a:.2f} | {_median(by['A'], 'p50'):.1f} | "
            f"{_median(by['B'], 'p50'):.1f} | {both:.0f} | {unchanged} | {codes} | {sockets} | {timeouts} |",
            bad + sum(r[k] for r in every for k in ("connect", "read", "write", "timeout")))


def report(results: dict, queries: tuple, logs: list[str]) -> str:
    """Write the figures as Markdown."""
    lines = ["| page or poll | A req/s | B req/s | B / A | A p50 ms | B p50 ms | A+B at once req/s | 304 share "
             "| 4xx/5xx answers | socket errors connect/read/write | timeouts |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    failed = 0
    for name, by in results.items():
        row, bad = _row(name, by)
        lines.append(row)
        failed += bad
    lines += ["", f"Answers 4xx/5xx, socket errors and timeouts, all loads (warm-ups too): {failed}. "
              f"Load average at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())} "
              f"({os.cpu_count()} cores; other work on the machine lowers every figure alike)."]
    for name, by in results.items():
        for wrong in sorted(set(by["wrong"])):
            lines.append(f"Probe of {name} before a load {wrong} ({by['wrong'].count(wrong)} times).")
    lines += logs
    halls, two, every = queries
    lines += ["", f"League table statements: {two} for 2 halls, {every} for all {halls} halls."]
    if failed:
        lines += ["", "No capacity from figures that include failed answers."]
    if failed or len(results) < len(_hot({"screen": ""})):
        return "\n".join(lines) + "\n"  # nor from a short run of some endpoints
    lines += ["", f"Capacity of one 2-core app server (2 workers) at {HEADROOM:.0%} busy, from server A's figures:",
              "", f"| poll every | tablets (desk + inbox polls) | screens | halls ({TABLETS} tablets, {SCREENS} "
              f"screens, {EVALUATORS} evaluators every {EVALUATOR_SECONDS} s, {STAFF} staff) |",
              "|---:|---:|---:|---:|"]
    rates = {name: _median(by["A"], "rps") for name, by in results.items()}
    lines += [f"| {n} s | {t} | {s} | {h} |" for n, t, s, h in capacity(rates)]
    return "\n".join(lines) + "\n"


def server_logs(servers: list, started: str) -> list[str]:
    """Count what each server logged (exceptions by path, worker timeouts); keep a copy of a log that has any."""
    from bench.run import WORK
    lines = []
    for name, port, _proc in servers:
        log = WORK / f"gunicorn-{port}.log"
        text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
        found = {}
        for path in re.findall(r"ERROR in app: Exception on (\S+)", text):
            found[path] = found.get(path, 0) + 1
        timeouts = text.count("WORKER TIMEOUT")
        kept = ""
        if text.strip():
            kept = WORK / f"county-{name}" / f"gunicorn-{started}.log"
            shutil.copy(log, kept)
        said = ", ".join(f"{n} on {p}" for p, n in found.items()) or "none"
        lines.append(f"Server {name.upper()} logged exceptions: {said}; worker timeouts: {timeouts}"
                     + (f"; log kept in {kept}." if kept else "; its log is empty."))
    return lines


def run(rounds: int = ROUNDS, seconds: int = SECONDS, only: str = "") -> str:
    """Serve ten halls from one PostgreSQL through two app servers; return the figures (Markdown).

    only: measure only the pages and polls whose name contains it (a short look; no capacity then).
    """
    from bench.generate import discover_ids
    started = time.strftime("%Y%m%d-%H%M%S")
    env = _prepare()
    servers = _servers(env)
    try:
        ids = discover_ids(env)
        results = measure(servers, ids, rounds, seconds, only)
    finally:
        for _name, _port, proc in servers:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=30)
    return report(results, league_queries(env), server_logs(servers, started))


if __name__ == "__main__":
    began = time.monotonic()
    print(run(int(os.environ.get("BENCH_ROUNDS", ROUNDS)), int(os.environ.get("BENCH_SECONDS", SECONDS)),
              os.environ.get("BENCH_ONLY", "")))
    print(f"({time.monotonic() - began:.0f} s)")
