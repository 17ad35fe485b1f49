"""Where one request's time goes, in-process: SQL, templates and the rest of Python, page by page.

Run by make bench on each measured database (HALLDESK_INSTANCE / DATABASE_URL of the bench env):
`python -m bench.profile` signs the demo people in, then calls the portal's WSGI app directly (no server)
for each GET endpoint of bench/endpoints.py and prints a Markdown table of the fastest of a few: the time of the
request (wall clock), time in the database driver, time rendering templates (their own SQL excluded) and the rest.
"""
import json
import re
import sys
import time

from flask import Flask, before_render_template, template_rendered
from sqlalchemy import event
from werkzeug.test import EnvironBuilder

from bench.endpoints import PORTAL

REPEAT = 8
# Calls first made and not counted: a served worker has run its statements many times, and on PostgreSQL
# psycopg prepares a statement at its 6th run and the server settles on a generic plan after 5 more.
WARM = 12
PASSWORD = "hall-demo-2026"


class Clock:
    """Collects SQL and template time of the request in progress."""

    def __init__(self):
        self.sql = self.template = 0.0
        self.queries = 0
        self._q = self._t = None
        self._sql_in_template = 0.0

    def reset(self):
        self.sql = self.template = self._sql_in_template = 0.0
        self.queries = 0

    def query_started(self, *_a, **_k):
        self._q = time.perf_counter()

    def query_done(self, *_a, **_k):
        spent = time.perf_counter() - self._q
        self.sql += spent
        self.queries += 1
        if self._t is not None:
            self._sql_in_template += spent

    def render_started(self, *_a, **_k):
        self._t, self._sql_in_template = time.perf_counter(), 0.0

    def render_done(self, *_a, **_k):
        if self._t is not None:
            self.template += time.perf_counter() - self._t - self._sql_in_template
        self._t = None

    def attach(self, app):
        """Listen to the app's engine and template signals; return the engine."""
        from portal.extensions import db
        with app.app_context():
            engine = db.engine
        event.listen(engine, "before_cursor_execute", self.query_started)
        event.listen(engine, "after_cursor_execute", self.query_done)
        before_render_template.connect(self.render_started, app)
        template_rendered.connect(self.render_done, app)
        return engine


def _call(app, env: dict) -> tuple[str, bytes]:
    status = []
    body = app.wsgi_app(dict(env), lambda s, h, e=None: status.append((s, dict(h))))
    data = b"".join(body)
    getattr(body, "close", lambda: None)()
    return status[0], data


def _sign_in(app, login: str) -> str:
    client = app.test_client()
    page = client.get("/login").data
    token = re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1).decode()
    client.post("/login", data={"login": login, "password": PASSWORD, "csrf_token": token})
    # A page first, as a browser (and bench/client.py) does: the cookie then holds the session's CSRF token,
    # and the requests measured with it do not each put a new one in and sign a new cookie.
    client.get("/password")
    return "halldesk_session=" + client.get_cookie("halldesk_session").value


def _environ(app, endpoint, ids: dict, cookies: dict) -> dict:
    headers = dict(endpoint.headers)
    if endpoint.user:
        if endpoint.user not in cookies:
            cookies[endpoint.user] = _sign_in(app, endpoint.user)
        headers["Cookie"] = cookies[endpoint.user]
    path = endpoint.path.format(**ids)
    if endpoint.conditional:
        (_status, got), _ = _call(app, EnvironBuilder(path=path, headers=headers).get_environ())
        if got.get("ETag"):
            headers["If-None-Match"] = got["ETag"]
    return EnvironBuilder(path=path, headers=headers).get_environ()


def _bare_hello() -> float:
    bare = Flask("bare")
    bare.add_url_rule("/hello", view_func=lambda: "hello")
    env = EnvironBuilder(path="/hello").get_environ()
    times = []
    for _ in range(200):
        started = time.perf_counter()
        _call(bare, env)
        times.append(time.perf_counter() - started)
    return min(times)


def profile(ids: dict) -> list[str]:
    """Time each GET endpoint REPEAT times; return the table's lines."""
    from wsgi import app
    clock = Clock()
    clock.attach(app)
    hello = _bare_hello()
    lines = [f"In-process time of one request (wall clock, no server), fastest of {REPEAT} after {WARM} not counted "
             f"(bare Flask hello: {hello * 1e6:.0f} µs):",
             "", "| endpoint | status | total ms | SQL ms (queries) | templates ms | other Python ms |",
             "|---|---|---:|---:|---:|---:|"]
    cookies = {}
    for e in PORTAL:
        if e.method != "GET":
            continue
        env = _environ(app, e, ids, cookies)
        rows = []
        for _ in range(WARM + REPEAT):
            clock.reset()
            started = time.perf_counter()
            (status, _h), _body = _call(app, env)
            rows.append((time.perf_counter() - started, clock.sql, clock.template, clock.queries, status))
        total, sql, tpl, queries, status = min(rows[WARM:])  # the fastest: the least disturbed by the machine
        lines.append(f"| {e.name} | {status.split()[0]} | {total * 1e3:.2f} | {sql * 1e3:.2f} ({queries}) | "
                     f"{tpl * 1e3:.2f} | {max(total - sql - tpl, 0) * 1e3:.2f} |")
    return lines


if __name__ == "__main__":
    print("\n".join(profile(json.loads(sys.argv[1]))))
