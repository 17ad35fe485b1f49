from flask import Blueprint

bp = Blueprint("complaints", __name__, url_prefix="/complaints")
track_bp = Blueprint("track", __name__)
from . import action_views, import_views, track_views, views  # noqa: E402,F401


def init_app(app) -> None:
    """Attach the public tracking page, the masked-field reveals, evidence links and the daily job."""
    from ..roles import Role
    from ..scores import service as scores
    from .jobs import complaints_daily
    app.register_blueprint(track_bp)
    views.register_reveals()
    scores.link_evidence(app, "complaint", "complaints.case", "case_id", (Role.ADMIN, Role.SUPERVISOR))
    app.cli.add_command(complaints_daily)
