"""The capabilities' own in-process figures: each bench/<capability>.py's run(), in a process of its own."""
import os
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# bench/ modules that are make bench itself, not a capability's figures.
MACHINERY = {"__init__", "bare", "client", "endpoints", "generate", "handwritten", "handwritten_templates", "history",
             "inprocess", "memory", "pdf_bench", "profile", "report", "run", "wrk"}
TIMEOUT = int(os.environ.get("BENCH_INPROCESS_TIMEOUT", "180"))
CODE = "import runpy; runpy.run_module(\"bench.{0}\", run_name=\"__main__\")"


def modules() -> list[str]:
    """The capability bench modules present (bench/<capability>.py with a run())."""
    found = []
    for path in sorted((ROOT / "bench").glob("*.py")):
        if path.stem not in MACHINERY and "def run(" in path.read_text(encoding="utf-8"):
            found.append(path.stem)
    return found


def run_one(name: str) -> str:
    """Run one module's run() on SQLite (its own temporary database); return what it printed."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    started = time.monotonic()
    try:
        done = subprocess.run([str(ROOT / ".venv/bin/python"), "-c", CODE.format(name)], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return f"(stopped after {TIMEOUT} s)"
    took = time.monotonic() - started
    if done.returncode:
        tail = "\n".join(done.stderr.strip().splitlines()[-5:])
        return f"(failed, exit {done.returncode}, after {took:.0f} s)\n{tail}"
    return done.stdout.rstrip() + f"\n\n(took {took:.0f} s)"


def run_all() -> str:
    """The in-process figures section of bench/RESULTS.md."""
    lines = ["## In-process figures of the capabilities", "",
             "Each capability's `bench/<capability>.py` `run()`, in its own process on SQLite, as it prints them "
             "(timings, query counts, memory).", ""]
    names = modules()
    if not names:
        lines.append("(no capability bench modules yet)")
    for name in names:
        out = run_one(name)
        markdown = "|---" in out or out.lstrip().startswith("#")
        lines += [f"### bench/{name}.py", ""] + ([out] if markdown else ["```", out, "```"]) + [""]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(run_all())
