from flask import Blueprint

bp = Blueprint("scores", __name__, url_prefix="/scores")
from . import views  # noqa: E402,F401
