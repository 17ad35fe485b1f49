"""Write bench/RESULTS.md: per endpoint, medians over the rounds, as ratios to the bare Flask hello."""
import statistics

from bench.endpoints import HAND, HELLO, PORTAL

CONNS = 10
PG_POLL_SHARE = 0.8  # an unchanged poll on PostgreSQL: within 20% of its SQLite ratio


def _median(rows, key):
    return statistics.median(r[key] for r in rows)


def ratio(results: dict, kind: str, name: str, conns: int = CONNS) -> float | None:
    """Median over rounds of (endpoint req/s ÷ the bare hello's req/s in the same round)."""
    hello = {r["round"]: r["rps"] for r in results["bare"].get((HELLO.name, conns), [])}
    rows = results.get(kind, {}).get((name, conns), [])
    shares = [r["rps"] / hello[r["round"]] for r in rows if hello.get(r["round"])]
    return statistics.median(shares) if shares else None


def _pct(value) -> str:
    return "" if value is None else f"{value:.1%}"


def _met(endpoint, value, rows, db: str, sqlite_ratio) -> str:
    if endpoint.target is None or value is None:
        return ""
    if endpoint.max_bytes and rows[0]["bytes"] > endpoint.max_bytes:
        return "**no** (size)"
    ok = value >= endpoint.target
    if endpoint.poll and db == "postgres" and sqlite_ratio is not None:
        ok = value >= PG_POLL_SHARE * max(sqlite_ratio, endpoint.target) or value >= endpoint.target
    return "yes" if ok else "**no**"


def _table(db: str, group: dict, sqlite_group: dict | None) -> list[str]:
    results = group["results"]
    lines = [f"## {group['label']}", "",
             "\"database is locked\" in the server logs: "
             + ", ".join(f"{k} {v}" for k, v in group["locked"].items()), "",
             "| endpoint | req/s | p50 ms | p99 ms | bytes | queries | ratio to bare hello | target | met | "
             "hand-written page | portal ÷ hand-written | non-2xx |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|"]
    hello = results["bare"].get((HELLO.name, CONNS), [])
    if hello:
        lines.append(f"| {HELLO.name} | {_median(hello, 'rps'):.0f} | {_median(hello, 'p50'):.1f} | "
                     f"{_median(hello, 'p99'):.1f} | {hello[0]['bytes']} | 0 | 100% | | | | | 0 |")
    for e in PORTAL:
        rows = results["portal"].get((e.name, CONNS))
        if not rows:
            continue
        value = ratio(results, "portal", e.name)
        hand = ratio(results, "hand", e.hand) if e.hand else None
        sqlite_ratio = ratio(sqlite_group["results"], "portal", e.name) if sqlite_group else None
        target = "" if e.target is None else f"{e.target:.0%}" + (" (PG: 80% of SQLite)" if e.poll else "")
        lines.append(
            f"| {e.name} | {_median(rows, 'rps'):.0f} | {_median(rows, 'p50'):.1f} | {_median(rows, 'p99'):.1f} | "
            f"{rows[0]['bytes']} | {rows[0]['queries']} | {_pct(value)} | {target} | "
            f"{_met(e, value, rows, db, sqlite_ratio)} | {_pct(hand)} | "
            f"{'' if not hand or value is None else f'{value / hand:.0%}'} | {sum(r['non2xx'] for r in rows)} |")
    lines += ["", "Hand-written pages (bench/handwritten.py: Flask + Flask-SQLAlchemy, column queries, one template):",
              "", "| page | req/s | bytes | ratio to bare hello | non-2xx |", "|---|---:|---:|---:|---:|"]
    for e in HAND:
        rows = results["hand"].get((e.name, CONNS))
        if rows:
            lines.append(f"| {e.name} | {_median(rows, 'rps'):.0f} | {rows[0]['bytes']} | "
                         f"{_pct(ratio(results, 'hand', e.name))} | {sum(r['non2xx'] for r in rows)} |")
    profile = ["### Where the time goes (one request, in-process)", "", group.get("profile", "").rstrip(), ""]
    return lines + [""] + profile + _growth(group) + _memory(group)


def _growth(group: dict) -> list[str]:
    """Flat cost as data grows: each page's ratio on the grown database over its ratio on the one-year one."""
    if not group.get("grown"):
        return []
    results = group["results"]
    lines = [f"### Flat cost: {group['grown']} against {group['label']} (served side by side; target ≥ 90%)", "",
             f"| endpoint | ratio, {group['label']} | ratio, {group['grown']} | kept | met |",
             "|---|---:|---:|---:|---|"]
    for e in PORTAL:
        one, many = ratio(results, "portal", e.name), ratio(results, "grown", e.name)
        if not e.grows or not one or many is None:
            continue
        kept = many / one
        met = "yes" if kept >= 0.9 else "**no**"
        lines.append(f"| {e.name} | {one:.1%} | {many:.1%} | {kept:.0%} | {met} |")
    return lines + [""]


def _memory(group: dict) -> list[str]:
    mem = group.get("memory")
    if not mem:
        return []
    lines = ["### Worker memory (resident size; target: after 10,000 within 10% of after 1,000)", "",
             f"Mixed requests: a cycle of {mem['mix']} (each page once, each poll four times, its ETag sent; "
             f"inbox and attendance month left out for time), 10 at a time; 5xx answers: {mem['failed']}. "
             "Checked on SQLite only: the workers run the same Python on either database.", "",
             "| worker | after 1,000 MB | after 10,000 MB | growth | met |",
             "|---|---:|---:|---:|---|"]
    for n, (pid, first) in enumerate(sorted(mem["first"].items()), 1):
        total = mem["total"].get(pid)
        if total is None:
            lines.append(f"| {n} | {first:.1f} | (replaced) | | |")
            continue
        growth = total / first - 1
        lines.append(f"| {n} | {first:.1f} | {total:.1f} | {growth:+.1%} | {'yes' if growth <= 0.10 else '**no**'} |")
    return lines + [""]


def render(measured: dict, machine: str, args) -> str:
    lines = ["# HallDesk benchmark results", "", f"Machine: {machine}.", "",
             f"Run: `make bench`: gunicorn, {args.workers} sync workers for each app; wrk on 127.0.0.1 with "
             f"{CONNS} connections; {args.rounds} rounds of {args.seconds} s per endpoint, interleaved in a shuffled "
             f"order each round; medians over the rounds; history: {args.scale} year(s).", "",
             "Ratio = the endpoint's requests/s divided by the requests/s of a bare Flask app with one hello route "
             "(bench/bare.py: nothing else) served by the same gunicorn settings, in the same round. The bare app, "
             "the hand-written pages, the portal and the grown portal run at the same time and each round loads "
             "them one after the other, so the machine being busier at one moment weighs on all of them.", ""]
    sqlite_group = measured.get("sqlite")
    for db, group in measured.items():
        lines += _table(db, group, sqlite_group if db == "postgres" else None)
    return "\n".join(lines) + "\n"
