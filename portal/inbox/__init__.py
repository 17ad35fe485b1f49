"""The to-do inbox (待办) and reminders: what each person must do next, gathered from every capability."""
from flask import Blueprint

bp = Blueprint("inbox", __name__, url_prefix="/inbox")
from . import views  # noqa: E402,F401


def init_app(app) -> None:
    """Wire the inbox: its version listener, its poll and its command."""
    from . import cli, pulse
    pulse.init_app(app)
    views.init_app(app)
    cli.init_app(app)
