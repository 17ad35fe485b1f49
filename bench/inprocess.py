"""The capabilities' own in-process figures: each bench/<capability>.py's run(), in a process of its own."""
import os
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# bench/ modules that are make bench itself, not a capability's figures.
MACHINERY = {"__init__", "bare", "client", "endpoints", "generate", "handwritten", "handwritten_templates", "history",
             "inprocess", "memory", "pdf_bench", "profile", "report", "run", "wrk"}
# Capability benchmarks that serve and load a whole deployment of their own (minutes each): named, not run.
SERVED = {"county": "two gunicorn servers on ten halls of PostgreSQL; `python -m bench.county`, figures in README"}
TIMEOUT = int(os.environ.get("BENCH_INPROCESS_TIMEOUT", "180"))
# Modules that time requests served by gunicorn on both cores (latency, not only cost): run one at a time,
# after the others, with a longer limit (bench/ratings.py: about 2.5 minutes alone on this machine).
ALONE = {"ratings": 480}
AT_ONCE = 2  # one module a core: each measures itself, none is loaded by the wrk run (it has ended)
CODE = "import runpy; runpy.run_module(\"bench.{0}\", run_name=\"__main__\")"


def modules() -> list[str]:
    """The capability bench modules present (bench/<capability>.py with a run())."""
    found = []
    for path in sorted((ROOT / "bench").glob("*.py")):
        if path.stem not in MACHINERY | SERVED.keys() and "def run(" in path.read_text(encoding="utf-8"):
            found.append(path.stem)
    return found


def run_one(name: str) -> str:
    """Run one module's run() on SQLite (its own temporary database); return what it printed."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    started, limit = time.monotonic(), ALONE.get(name, TIMEOUT)
    try:
        done = subprocess.run([str(ROOT / ".venv/bin/python"), "-c", CODE.format(name)], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=limit)
    except subprocess.TimeoutExpired:
        return f"(stopped after {limit} s)"
    took = time.monotonic() - started
    if done.returncode:
        tail = "\n".join(done.stderr.strip().splitlines()[-5:])
        return f"(failed, exit {done.returncode}, after {took:.0f} s)\n{tail}"
    return done.stdout.rstrip() + f"\n\n(took {took:.0f} s)"


def run_all() -> str:
    """The in-process figures section of bench/RESULTS.md."""
    lines = ["## In-process figures of the capabilities", "",
             "Each capability's `bench/<capability>.py`, in its own process (two at a time, one a core, after the "
             f"wrk run; {', '.join(f'bench/{n}.py' for n in ALONE)} alone after them: it times requests served on "
             "both cores), as it prints its figures (timings, query counts, memory).", ""]
    names = modules()
    if not names:
        lines.append("(no capability bench modules yet)")
    from concurrent.futures import ThreadPoolExecutor
    shared = [n for n in names if n not in ALONE]
    with ThreadPoolExecutor(max_workers=AT_ONCE) as pool:
        outputs = dict(zip(shared, pool.map(run_one, shared), strict=True))
    outputs |= {name: run_one(name) for name in names if name in ALONE}  # the machine to itself
    for name in names:
        out = outputs[name]
        markdown = "|---" in out or out.lstrip().startswith("#")
        lines += [f"### bench/{name}.py", ""] + ([out] if markdown else ["```", out, "```"]) + [""]
    lines += [f"Not run here: bench/{name}.py ({why})." for name, why in SERVED.items()] + [""]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(run_all())
