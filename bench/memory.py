"""A worker's resident size after 1,000 and after 10,000 mixed requests (pages and polls in turn).

The mix takes each GET endpoint of bench/endpoints.py `mix` times (polls four times, as tablets poll more
than people open pages); the two pages of 40-110 ms (inbox, attendance month) stay out so the check
fits in the run's time.
"""
import http.client
import os
import threading
from pathlib import Path

from bench.endpoints import PORTAL

FIRST = int(os.environ.get("BENCH_MEMORY_FIRST", "1000"))
TOTAL = int(os.environ.get("BENCH_MEMORY_TOTAL", "10000"))
THREADS = 10


def _workers(master: int) -> list[int]:
    return [int(p) for p in Path(f"/proc/{master}/task/{master}/children").read_text().split()]


def _rss_mb(pid: int) -> float:
    line = next(x for x in Path(f"/proc/{pid}/status").read_text().splitlines() if x.startswith("VmRSS:"))
    return int(line.split()[1]) / 1024


def _requests(sessions: dict, ids: dict) -> list[tuple[str, dict]]:
    """The mix: each GET endpoint its `mix` times (polls with their ETag), as its person."""
    mix = []
    for e in PORTAL:
        if e.method != "GET" or not e.mix:
            continue
        session = sessions[e.user]
        headers = {**e.headers, **({"Cookie": session.cookie} if session.cookie else {})}
        path = e.path.format(**ids)
        if e.conditional:
            response, _ = session.request("GET", path, None, e.headers)
            if response.getheader("ETag"):
                headers["If-None-Match"] = response.getheader("ETag")
        mix += [(path, headers)] * e.mix
    return mix


def _send(port: int, mix: list, start: int, stop: int) -> int:
    """Send requests start..stop-1 of the endless mix from THREADS threads; return how many failed (5xx)."""
    counter, lock, failed = [start], threading.Lock(), [0]

    def worker():
        while True:
            with lock:
                n = counter[0]
                if n >= stop:
                    return
                counter[0] += 1
            path, headers = mix[n % len(mix)]
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            conn.close()
            if response.status >= 500:
                with lock:
                    failed[0] += 1

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return failed[0]


def measure(server: tuple, master: int) -> dict:
    """Return each worker's RSS (MB) after FIRST and after TOTAL mixed requests, and the 5xx count."""
    port, sessions, ids = server
    mix = _requests(sessions, ids)
    failed = _send(port, mix, 0, FIRST)
    after_first = {pid: _rss_mb(pid) for pid in _workers(master)}
    failed += _send(port, mix, FIRST, TOTAL)
    after_total = {pid: _rss_mb(pid) for pid in _workers(master)}
    return {"first": after_first, "total": after_total, "failed": failed, "mix": len(mix)}
