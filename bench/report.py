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
             "and the same gunicorn.", "",
             "Grown databases (more years, more halls) are served at the same time as the one-year, one-hall "
             "database of the same kind, and each step of a round loads the two one after the other, so the "
             "flat-cost comparison is not skewed by the machine being busier at another moment.", ""]
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
    lines += _growth(all_results)
    return "\n".join(lines) + "\n"


def _growth(all_results: dict) -> list[str]:
    """Flat cost as data grows: each endpoint's ratio with more years or halls over its ratio with one."""
    lines = []
    for label in all_results:
        base_label = label.split(",")[0]
        if label == base_label or base_label not in all_results:
            continue
        base = all_results[base_label]
        lines += [f"## Flat cost: {label} against one year, one hall ({base_label}, 10 connections; "
                  "target at least 90%)", "",
                  f"| endpoint | ratio, 1 year, 1 hall | ratio, {label.split(', ')[1]} | kept | met |",
                  "|---|---:|---:|---:|---|"]
        for endpoint in ENDPOINTS:
            key = (endpoint.name, 10)
            if key not in base or key not in all_results[label]:
                continue
            one, many = _ratio(base, *key), _ratio(all_results[label], *key)
            kept = many / one if one else 0
            lines.append(f"| {endpoint.name} | {one:.1%} | {many:.1%} | {kept:.0%} | "
                         f"{'yes' if kept >= 0.9 else '**no**'} |")
        lines.append("")
    return lines
