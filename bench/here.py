"""Where one request's time goes on this checkout, without a server: `python -m bench.here [sqlite|postgres]`.

Makes (or keeps, when the sources are unchanged) a one-year bench database of its own under BENCH_WORK
(default /tmp/halldesk-bench-<checkout name>; PostgreSQL: BENCH_PG_DB, default halldesk_bench_<name>) and prints
bench/profile.py's table for it. For working on a page's speed while other checkouts run beside it.
"""
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NAME = "".join(c if c.isalnum() else "_" for c in ROOT.name)
os.environ.setdefault("BENCH_WORK", f"/tmp/halldesk-bench-{NAME}")
os.environ.setdefault("BENCH_PG_DB", f"halldesk_bench_{NAME}")


def main() -> int:
    from bench import run
    from bench.generate import discover_ids
    db = sys.argv[1] if len(sys.argv) > 1 else "sqlite"
    env = run.prepare(db, 1, label=db, keep=True)
    ids = discover_ids(env)
    reads = {k: v for k, v in ids.items() if not isinstance(v, list)}  # the writes' variants: too long for argv
    done = subprocess.run([str(run.VENV / "python"), "-m", "bench.profile", json.dumps(reads)], cwd=ROOT, env=env)
    return done.returncode


if __name__ == "__main__":
    sys.exit(main())
