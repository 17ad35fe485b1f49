"""Background work on a kept task queue (huey); job state and results live in the database."""
from flask import Flask

from .service import owned, place, register, submit  # noqa: F401  (the package's interface)


def init_app(app: Flask) -> None:
    """Attach the app's queue and the worker command."""
    from . import models as _models  # noqa: F401  (registers the table)
    from .cli import worker
    from .queue import init_queue
    app.extensions["jobs"] = init_queue(app)
    app.cli.add_command(worker)
