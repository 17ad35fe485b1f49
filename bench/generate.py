"""Synthetic history for make bench: a hall's year (or N years) on top of the demo hall."""
import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def generate(years: int, halls: int = 1) -> dict:
    """Add the synthetic records of each capability for each hall; return counts by kind."""
    from bench import history
    counts = {}
    every = history.clone_halls(halls) if halls > 1 else [history._hall()]
    if halls > 1:
        counts["halls"] = len(every)
    for hall in every:
        for name, make in history.GENERATORS:
            counts[name] = counts.get(name, 0) + make(years, hall)
    return counts


def discover_ids(env: dict) -> dict:
    """Return ids the endpoint paths need (a window, a notice, a screen token...)."""
    code = "from bench.history import ids; import json; print(json.dumps(ids()))"
    out = subprocess.run([str(ROOT / ".venv/bin/python"), "-c",
                          f"from wsgi import app\nwith app.app_context():\n    {code}"],
                         cwd=ROOT, env=env, capture_output=True, text=True, check=True).stdout
    import json
    return json.loads(out.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--halls", type=int, default=1)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    from wsgi import app
    with app.app_context():
        counts = generate(args.scale, args.halls)
    print("generated:", ", ".join(f"{k} {v}" for k, v in counts.items()) or "nothing")


if __name__ == "__main__":
    main()
