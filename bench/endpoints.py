"""What make bench measures: each endpoint, on which server, who requests it, and its target.

Servers of one run: `bare` (bench/bare.py: one hello route, nothing else), `hand` (bench/handwritten.py:
the same data read with a few column queries, one template each) and `portal` (the portal itself; the
grown database's portal too when `grows`). Every ratio divides by the bare hello of the same round.
"""
from dataclasses import dataclass, field


@dataclass
class Endpoint:
    name: str
    user: str | None          # demo login, or None for anonymous
    path: str                 # may contain {placeholders} filled from the discovered ids
    target: float | None = None        # minimum ratio to the bare hello (same run)
    max_bytes: int | None = None
    method: str = "GET"
    headers: dict = field(default_factory=dict)
    body: dict | None = None           # form fields of a write (csrf_token is added)
    conditional: bool = False          # send the ETag back (If-None-Match): measures the 304 path
    connections: tuple = (10,)
    variants: str | None = None        # ids key of a list of placeholder sets: requests take them in turn
    once: bool = False                 # each variant may be taken once (a visit is rated once), the probe too
    server: str = "portal"             # portal, hand or bare
    hand: str | None = None            # the hand-written page doing the same work (its name)
    grows: bool = False                # also measured on the grown database (flat cost)
    poll: bool = False                 # an unchanged poll: PostgreSQL within 20% of its SQLite ratio
    mix: int = 1                       # how often it comes in the memory check's mixed requests (0: never)
    postgres: bool = True              # also measured on PostgreSQL (hand-written pages: those with a target)


HELLO = Endpoint("bare Flask hello", None, "/hello", server="bare")

HX = {"HX-Request": "true"}
POLL = {**HX, "X-HallDesk-Poll": "1"}

# The hand-written pages (bench/handwritten.py): anonymous, the person is read by login like a session is.
# On PostgreSQL only the pages with a target are compared, so that the whole run stays near 15 minutes.
HAND = [
    Endpoint("hand: duty desk page", None, "/desk", server="hand"),
    Endpoint("hand: patrol window card", None, "/patrol/{round_id}/{window_id}", server="hand"),
    Endpoint("hand: patrol window grid", None, "/patrol/{round_id}", server="hand", postgres=False),
    Endpoint("hand: sit-in week", None, "/sitin", server="hand", postgres=False),
    Endpoint("hand: notice board", None, "/notices", server="hand", postgres=False),
    Endpoint("hand: inbox page", None, "/inbox", server="hand", postgres=False),
    Endpoint("hand: evaluator poll, unchanged", None, "/evaluator/{evaluator}", server="hand", conditional=True),
    Endpoint("hand: attendance month", None, "/attendance", server="hand", postgres=False),
    Endpoint("hand: assessment sheet", None, "/assessment/{unit_id}", server="hand", postgres=False),
]

# The targets (ratios to the bare hello in the same run); pages without one are reported, not judged.
PORTAL = [
    Endpoint("portal hello (session, guard, CSRF, headers)", None, "/bench/hello", target=0.85),
    Endpoint("duty desk page", "zhiban", "/duty/", target=0.06, hand="hand: duty desk page", grows=True),
    Endpoint("duty desk poll, unchanged (304)", "zhiban", "/duty/live", target=0.5, headers=POLL, conditional=True,
             poll=True, mix=4),
    Endpoint("patrol window grid", "ducha", "/patrol/rounds/{round_id}", hand="hand: patrol window grid"),
    Endpoint("patrol window card fragment", "ducha", "/patrol/rounds/{round_id}/windows/{window_id}",
             target=0.20, max_bytes=2048, headers=HX, hand="hand: patrol window card", grows=True),
    Endpoint("sit-in week view", "lingdao", "/sitin/week", hand="hand: sit-in week", grows=True),
    Endpoint("notice board list", "chuangkou", "/notices/", hand="hand: notice board", grows=True),
    Endpoint("hall screen poll, unchanged (304)", None, "/display/{screen}/content", target=0.5, conditional=True,
             poll=True, mix=4),
    Endpoint("inbox page", "lingdao", "/inbox/", hand="hand: inbox page", mix=0),
    Endpoint("inbox top-bar poll, unchanged (304)", "lingdao", "/inbox/bar", target=0.5, headers=POLL,
             conditional=True, poll=True, mix=4),
    Endpoint("evaluator poll, idle (304)", None, "/evaluator/{evaluator}/state", target=0.5, conditional=True,
             poll=True, hand="hand: evaluator poll, unchanged", mix=4),
    Endpoint("attendance month", "admin", "/attendance/month", hand="hand: attendance month", mix=0),
    Endpoint("assessment sheet (one unit)", "admin", "/assessment/units/{unit_id}", hand="hand: assessment sheet",
             grows=True),
    Endpoint("write: duty-log item", "zhiban", "/duty/log/new", target=0.05, method="POST", headers=HX,
             body={"kind": "consultation", "window_id": "{write_window_id}", "people": "", "text": "群众咨询社保转移"}),
    Endpoint("write: patrol finding", "ducha", "/patrol/rounds/{round_id}/windows/{write_window_id}", target=0.05,
             method="POST", headers=HX,
             body={"action": "findings", "f": "{finding}", "note": "工作时间玩手机", "confirm_leave": "1"},
             variants="patrol_walk"),
    # A tap on an evaluator: each request rates a visit of its own (one visit, one rating), at one of a bench
    # hall's windows (bench/ratings_served.tap_pool); the device's session ("device:" + token) holds the CSRF.
    Endpoint("write: rating tap", "device:demo-evaluator-1", "/evaluator/{tap_token}/rate", target=0.05,
             method="POST", headers=HX, body={"invitation": "{tap_invitation}", "level": "1"}, variants="tap_visits",
             once=True),
]

ENDPOINTS = PORTAL + HAND
