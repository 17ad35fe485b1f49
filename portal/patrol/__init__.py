from flask import Blueprint

bp = Blueprint("patrol", __name__, url_prefix="/patrol")
from . import views  # noqa: E402,F401
