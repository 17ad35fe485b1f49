"""Run wrk against one URL and read its figures."""
import re
import subprocess
import tempfile

LUA_POST = """
wrk.method = "POST"
wrk.body = %s
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
"""


LUA_POST_TURNS = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
local turns = {%s}
-- The threads take the turns in step (thread k the k-th, then every %d-th after it): whatever the rate, the
-- turns a run takes are one stretch from the first, so the next run can go on after them.
local made = 0
setup = function(thread) thread:set("first", made); made = made + 1 end
local n = nil
request = function()
  n = n and n + %d or first or 0
  local turn = turns[n %% #turns + 1]
  return wrk.format(nil, turn[1], nil, turn[2])
end
"""


# Counts every answer by its status (wrk itself only counts those above 399, and 200 and 304 alike).
LUA_STATUSES = """
local threads = {}
setup = function(thread) table.insert(threads, thread) end
init = function(args) statuses = {} end
response = function(status, headers, body) statuses[status] = (statuses[status] or 0) + 1 end
done = function(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do
    for code, n in pairs(t:get("statuses")) do total[code] = (total[code] or 0) + n end
  end
  for code, n in pairs(total) do io.write(string.format("status %d: %d\\n", code, n)) end
end
"""


def _lua_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _ms(text: str) -> float:
    value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def run(url: str, connections: int, seconds: int, headers: dict, body: str | None = None,
        turns: list[tuple[str, str]] | None = None, statuses: bool = False) -> dict:
    """Load one URL for a fixed time; return requests/s, p50 and p99 (ms), non-2xx count and socket errors.

    turns: (path, body) pairs of a write that each request takes in turn (the URL then gives the host).
    statuses: also count the answers by status ({200: n, 304: n, ...}; a Lua call per answer).
    """
    threads = min(2, connections)
    args = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency",
            "--timeout", "10s"]
    for name, value in headers.items():
        args += ["-H", f"{name}: {value}"]
    lua = ""
    if body is not None and turns:
        listed = ", ".join(f"{{{_lua_string(p)}, {_lua_string(b)}}}" for p, b in turns)
        lua = LUA_POST_TURNS % (listed, threads, threads)
    elif body is not None:
        lua = LUA_POST % _lua_string(body)
    if statuses:
        lua += LUA_STATUSES
    if lua:
        script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
        script.write(lua)
        script.close()
        args += ["-s", script.name]
    out = subprocess.run(args + [url], capture_output=True, text=True, timeout=seconds + 60).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    counts = [int(x) for x in errors.groups()] if errors else [0, 0, 0, 0]
    socket = dict(zip(("connect", "read", "write", "timeout"), counts, strict=True))
    return {"rps": rps, "p50": p50, "p99": p99, "non2xx": int(bad.group(1)) if bad else 0,
            "socket_errors": sum(socket.values()), "socket": socket,
            "statuses": {int(c): int(n) for c, n in re.findall(r"^status (\d+): (\d+)$", out, re.M)}}
