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


HELLO = Endpoint("bare hello", None, "/bench/hello")

# Endpoints are added here as capabilities land; see bench/README in RESULTS.md for targets.
ENDPOINTS = [
    Endpoint("admin window grid (55 windows)", "admin", "/admin/windows"),
    Endpoint("health check", None, "/healthz"),
    Endpoint("sit-in week view", "lingdao", "/sitin/week", target=0.05),
    Endpoint("notice board list", "chuangkou", "/notices/", target=0.05),
    Endpoint("hall screen poll, unchanged (304)", None, "/display/{screen}/content", target=0.4, conditional=True),
    Endpoint("hall screen poll, changed (200)", None, "/display/{screen}/content"),
]
