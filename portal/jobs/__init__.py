"""Background work on a kept task queue (huey); job state and results live in the database."""
from flask import Blueprint, Flask

bp = Blueprint("jobs", __name__, url_prefix="/jobs")

from .service import owned, place, register, submit  # noqa: E402,F401  (the package's interface)
from .tasks import Outcome, every, register_task, start, status_url  # noqa: E402,F401


def init_app(app: Flask) -> None:
    """Attach the app's queue, the worker command and the tasks' progress page."""
    from . import models as _models  # noqa: F401  (registers the table)
    from . import views as _views  # noqa: F401  (the page registers its route on bp)
    from .cli import worker
    from .queue import init_queue
    app.extensions["jobs"] = init_queue(app)
    app.cli.add_command(worker)
    app.register_blueprint(bp)
