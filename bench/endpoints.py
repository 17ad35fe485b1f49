"""What make bench measures: each endpoint, who requests it, and its target (ratio to hello)."""
from dataclasses import dataclass, field


@dataclass
class Endpoint:
    name: str
    user: str | None          # demo login, or None for anonymous
    path: str                 # may contain {placeholders} filled from the discovered ids
    target: float | None = None        # minimum ratio to hello (same run)
    max_bytes: int | None = None
    method: str = "GET"
    headers: dict = field(default_factory=dict)
    body: dict | None = None           # form fields of a write (csrf_token is added)
    conditional: bool = False          # send the ETag back (If-None-Match): measures the 304 path
    connections: tuple = (10, 50)
    variants: str | None = None        # ids key of a list of placeholder sets: requests take them in turn


HELLO = Endpoint("bare hello", None, "/bench/hello", connections=(10, 20, 50))

HX = {"HX-Request": "true"}
POLL = {**HX, "X-HallDesk-Poll": "1"}

# The targets (ratios to hello in the same run); pages without one are reported, not judged.
ENDPOINTS = [
    Endpoint("duty desk page", "zhiban", "/duty/", target=0.05),
    Endpoint("duty desk poll, unchanged (304)", "zhiban", "/duty/live", target=0.4, headers=POLL, conditional=True),
    Endpoint("duty desk poll, changed", "zhiban", "/duty/live", headers=POLL),
    Endpoint("patrol window grid", "ducha", "/patrol/rounds/{round_id}"),
    Endpoint("patrol window card fragment", "ducha", "/patrol/rounds/{round_id}/windows/{window_id}",
             target=0.12, max_bytes=2048, headers=HX),
    Endpoint("sit-in week view", "lingdao", "/sitin/week"),
    Endpoint("notice board list", "chuangkou", "/notices/"),
    Endpoint("hall screen poll, unchanged (304)", None, "/display/{screen}/content", target=0.4, conditional=True),
    Endpoint("hall screen poll, changed (200)", None, "/display/{screen}/content"),
    Endpoint("admin window grid (55 windows)", "admin", "/admin/windows"),
    Endpoint("inbox page", "lingdao", "/inbox/"),
    Endpoint("inbox top-bar poll, unchanged (304)", "lingdao", "/inbox/bar", target=0.4, headers=POLL,
             conditional=True),
    Endpoint("inbox top-bar poll, full answer", "zhiban", "/inbox/bar", headers=POLL),
    Endpoint("write: duty-log item", "zhiban", "/duty/log/new", target=0.2, method="POST", headers=HX,
             body={"kind": "consultation", "window_id": "{write_window_id}", "people": "", "text": "群众咨询社保转移"},
             connections=(20,)),
    Endpoint("write: patrol finding", "ducha", "/patrol/rounds/{round_id}/windows/{write_window_id}", target=0.2,
             method="POST", headers=HX,
             body={"action": "findings", "f": "{finding}", "note": "工作时间玩手机", "confirm_leave": "1"},
             connections=(20,), variants="patrol_walk"),
]
