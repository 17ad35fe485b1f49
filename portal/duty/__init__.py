from flask import Blueprint
bp = Blueprint("duty", __name__, url_prefix="/duty")
from . import views, check_views, log_views, leave_views, handover_views  # noqa: E402,F401
