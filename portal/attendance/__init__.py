from flask import Blueprint

bp = Blueprint("attendance", __name__, url_prefix="/attendance")
from . import correction_views, device_views, import_views, leave_views, month_views, profile_views  # noqa: E402,F401
from .adms_views import init_app  # noqa: E402,F401
