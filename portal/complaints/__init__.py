from flask import Blueprint

bp = Blueprint("complaints", __name__, url_prefix="/complaints")
track_bp = Blueprint("track", __name__)
from . import action_views, import_views, track_views, views  # noqa: E402,F401


def init_app(app) -> None:
    """Attach the tracking page, the append-only history, reveals, evidence and duty-log links, the daily job."""
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    from ..duty import log_links
    from ..roles import Role
    from ..scores import service as scores
    from . import service
    from .jobs import complaints_daily
    from .models import refuse_step_edits
    if not event.contains(Session, "before_flush", refuse_step_edits):
        event.listen(Session, "before_flush", refuse_step_edits)
    app.register_blueprint(track_bp)
    views.register_reveals()
    scores.link_evidence(app, "complaint", "complaints.case", "case_id", (Role.ADMIN, Role.SUPERVISOR),
                         "查看投诉件")
    log_links.register(app, "complaint", service.log_item_links)
    app.cli.add_command(complaints_daily)
