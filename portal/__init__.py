"""HallDesk (政务大厅值守门户): the application factory."""
import os
from inspect import CO_COROUTINE
from types import FunctionType

from flask import Flask

from config import CONFIGS, ProductionConfig


class Portal(Flask):
    """Flask, with the check it makes before calling each hook and view of every request made cheaper."""

    def ensure_sync(self, func):
        """Return a plain function as it is on a glance at its code flags; anything else as Flask decides.

        Flask's own check (inspect.iscoroutinefunction) unwraps and inspects its argument four times a
        request; for a plain function it comes down to this flag.
        """
        if type(func) is FunctionType and not func.__code__.co_flags & CO_COROUTINE \
                and not hasattr(func, "_is_coroutine_marker"):  # inspect.markcoroutinefunction's mark (3.12)
            return func
        return super().ensure_sync(func)


def create_app(config=None) -> Flask:
    """Build the portal for the environment named by HALLDESK_ENV (or the given config)."""
    app = Portal(__name__, template_folder="../templates", static_folder="../static",
                instance_relative_config=False)
    if config is None:
        config = CONFIGS[os.environ.get("HALLDESK_ENV", "development")]
    if isinstance(config, dict):
        app.config.from_object(CONFIGS["test"])
        app.config.update(config)
    else:
        app.config.from_object(config)
    if isinstance(config, type) and issubclass(config, ProductionConfig):
        ProductionConfig.check()
    app.config["INSTANCE_DIR"].mkdir(parents=True, exist_ok=True)
    from . import clock
    clock.use_zone(app.config["HALL_TIMEZONE"])
    if app.config.get("PROXY_HOPS"):
        # Behind nginx the audit must record the client's address, not the proxy's.
        from werkzeug.middleware.proxy_fix import ProxyFix
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["PROXY_HOPS"], x_proto=app.config["PROXY_HOPS"])
    register_extensions(app)
    register_blueprints(app)
    from . import signals
    from .extensions import db
    signals.install(db.metadata)  # with every model known: the watched tables announce their changes
    register_web(app)
    register_cli(app)
    register_inbox(app)
    if app.config.get("BENCH_ENDPOINTS"):
        from . import bench
        bench.init_app(app)
    return app


def register_extensions(app: Flask) -> None:
    from . import jobs, machinery, once, pool
    from .audit import service as audit
    from .auth.cookie import CookieSessions
    from .auth.service import load_session_user
    from .database import init_engine
    from .extensions import csrf, db, login_manager, migrate

    options = app.config["SQLALCHEMY_ENGINE_OPTIONS"]
    # SQLite is a file on this machine: nothing to ping. A server is pinged only after a connection sat idle.
    ping = options.get("pool_pre_ping") and not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {k: v for k, v in options.items() if k != "pool_pre_ping"}
    db.init_app(app)
    init_engine(app)
    if ping:
        with app.app_context():
            pool.ping_when_idle(db.engine)
    audit.init_app(app)  # every flush of a business change is recorded and chained
    once.init_app(app)  # a create form's submission key is kept only with the record it created
    jobs.init_app(app)  # the background queue and the worker command
    migrate.init_app(app, db, directory=str(app.root_path + "/../migrations"), render_as_batch=True)
    app.session_interface = CookieSessions()
    login_manager.init_app(app)
    login_manager.session_protection = None  # sessions are checked on the server instead
    login_manager.user_loader(load_session_user)
    csrf.init_app(app)
    # Unchanged polls, the access guard and CSRF (on writes only) before each request, the headers after.
    machinery.install(app)


def register_blueprints(app: Flask) -> None:
    from . import (
        assessment,
        attendance,
        audit,
        auth,
        cases,
        complaints,
        county,
        display,
        documents,
        duty,
        home,
        notices,
        org,
        patrol,
        pdfjobs,
        privacy,
        ratings,
        rulebook,
        scores,
        sitin,
    )
    from . import once as _once  # noqa: F401  (registers the submission key table)
    from . import scheduled as _scheduled  # noqa: F401  (registers the scheduled job runs table)
    from .imports import models as _import_models  # noqa: F401  (registers the tables)
    from .uploads import models as _upload_models  # noqa: F401  (registers the table)

    foundation = (auth, home, org, rulebook, audit, pdfjobs, privacy, documents)
    capabilities = (duty, patrol, scores, sitin, notices, display, attendance, cases, complaints, ratings,
                    county, assessment)
    for module in foundation + capabilities:
        app.register_blueprint(module.bp)
        if hasattr(module, "init_app"):  # a package's listeners, polls and links, attached here
            module.init_app(app)


def register_inbox(app: Flask) -> None:
    from . import inbox
    from .assessment import award_inbox
    from .assessment import inbox as assessment_inbox
    from .attendance import inbox as attendance_inbox
    from .cases import inbox as cases_inbox
    from .complaints import inbox as complaints_inbox
    from .duty import inbox as duty_inbox
    from .notices import inbox as notices_inbox
    from .patrol import inbox as patrol_inbox
    from .ratings import inbox as ratings_inbox
    from .sitin import inbox as sitin_inbox

    app.register_blueprint(inbox.bp)
    inbox.init_app(app)
    for source in (duty_inbox, sitin_inbox, notices_inbox, patrol_inbox, attendance_inbox, cases_inbox,
                   complaints_inbox, ratings_inbox, assessment_inbox, award_inbox):
        source.init_app(app)


def register_web(app: Flask) -> None:
    from . import web
    web.init_app(app)


def register_cli(app: Flask) -> None:
    from . import cli
    cli.init_app(app)
