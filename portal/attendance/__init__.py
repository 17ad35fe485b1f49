from flask import Blueprint

bp = Blueprint("attendance", __name__, url_prefix="/attendance")
from . import (  # noqa: E402,F401
    correction_views,
    device_views,
    director_views,
    import_views,
    leave_views,
    month_views,
    sendback_views,
)


def init_app(app) -> None:
    """Serve the device paths and tell the duty desk who is away on leave."""
    from ..duty import service as duty
    from . import adms_views, leave
    adms_views.init_app(app)
    duty.register_away(app, leave.away_now)
