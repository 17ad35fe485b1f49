from flask import Blueprint

bp = Blueprint("duty", __name__, url_prefix="/duty")
from . import check_views, checks, handover_views, leave_views, log_views, replan_views, views  # noqa: E402,F401


def init_app(app) -> None:
    """Attach the duty desk's session listeners (called by the factory)."""
    checks.listen()
