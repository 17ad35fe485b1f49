"""Personal data (个人信息): one masking helper, and revealing a full value to authorised roles."""
from flask import Blueprint
from flask_login import current_user

from .service import can_reveal, mask

bp = Blueprint("privacy", __name__, url_prefix="/privacy")
bp.add_app_template_filter(mask, "masked")
bp.add_app_template_global(lambda key: can_reveal(current_user, key), "can_reveal")

from . import views  # noqa: E402,F401
