"""Write bench/RESULTS.md: per endpoint and connection count, medians over the rounds."""
import statistics

from bench.endpoints import ENDPOINTS, HELLO


def _median(rows, key):
    return statistics.median(r[key] for r in rows)


def _ratio(results, name, conns):
    """Median over rounds of (endpoint req/s ÷ hello req/s in the same round)."""
    hello = {r["round"]: r["rps"] for r in results[(HELLO.name, conns)]}
    return statistics.median(r["rps"] / hello[r["round"]] for r in results[(name, conns)] if hello.get(r["round"]))


def render(all_results: dict, machine: str, args) -> str:
    lines = ["# HallDesk benchmark results", "",
             f"Machine: {machine}.", "",
             f"Run: `make bench` — gunicorn sync workers: {args.workers}; wrk on 127.0.0.1; "
             f"{args.rounds} rounds of {args.seconds} s per endpoint and connection count, interleaved in a "
             f"shuffled order each round; figures are medians over the rounds; history: {args.scale} year(s).",
             "", "Ratio = the endpoint's requests/s divided by the bare `hello` route's in the same round "
             "and the same gunicorn.", ""]
    for db, results in all_results.items():
        lines += [f"## {db}", "", f"\"database is locked\" in the server log: {results.get('_locked', 0)}", "",
                  "| endpoint | conns | req/s | p50 ms | p99 ms | bytes | queries | ratio | target | met | non-2xx |",
                  "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|"]
        for endpoint in [HELLO] + ENDPOINTS:
            for conns in endpoint.connections:
                rows = results.get((endpoint.name, conns))
                if not rows:
                    continue
                ratio = _ratio(results, endpoint.name, conns) if endpoint is not HELLO else 1.0
                met = "" if endpoint.target is None else ("yes" if ratio >= endpoint.target else "**no**")
                size = rows[0]["bytes"]
                if endpoint.max_bytes and size > endpoint.max_bytes:
                    met = "**no** (size)"
                lines.append(
                    f"| {endpoint.name} | {conns} | {_median(rows, 'rps'):.0f} | {_median(rows, 'p50'):.1f} | "
                    f"{_median(rows, 'p99'):.1f} | {size} | {rows[0]['queries']} | {ratio:.1%} | "
                    f"{'' if endpoint.target is None else f'{endpoint.target:.0%}'} | {met} | "
                    f"{sum(r['non2xx'] for r in rows)} |")
        lines.append("")
    return "\n".join(lines) + "\n"
