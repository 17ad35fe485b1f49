"""Benchmark-only additions (HALLDESK_ENV=bench): a bare hello route and a query-count header."""
from flask import Flask, g
from sqlalchemy import event

from .access import public
from .extensions import db


def init_app(app: Flask) -> None:
    """Add /bench/hello and count each request's queries into X-Query-Count."""
    @app.route("/bench/hello")
    @public
    def bench_hello():
        """Answer with a constant: the bare-server limit every page is compared with."""
        return "hello"

    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "before_cursor_execute")
    def _count(*_args):
        from flask import has_request_context
        if has_request_context():
            g.query_count = g.get("query_count", 0) + 1

    @app.after_request
    def _report(response):
        response.headers["X-Query-Count"] = str(g.get("query_count", 0))
        return response
