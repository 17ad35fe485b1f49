"""Benchmark-only additions (HALLDESK_ENV=bench): a bare hello route and a query-count header."""
from flask import Flask, after_this_request, g, has_request_context
from sqlalchemy import event

from .access import public
from .extensions import db


def init_app(app: Flask) -> None:
    """Add /bench/hello and count each request's queries into X-Query-Count (only requests that make any)."""
    @app.route("/bench/hello")
    @public
    def bench_hello():
        """Answer with a constant: the bare-server limit every page is compared with."""
        return "hello"

    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "before_cursor_execute")
    def _count(*_args):
        if not has_request_context():
            return
        if "query_count" not in g:
            # Only a request that queries pays for the header: what production serves carries none at all.
            g.query_count = 0
            after_this_request(_report)
        g.query_count += 1


def _report(response):
    response.headers["X-Query-Count"] = str(g.query_count)
    return response
