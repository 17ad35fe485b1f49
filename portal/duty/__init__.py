from flask import Blueprint

bp = Blueprint("duty", __name__, url_prefix="/duty")
from . import check_views, handover_views, leave_views, log_views, replan_views, views  # noqa: E402,F401
