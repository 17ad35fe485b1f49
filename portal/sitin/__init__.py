from flask import Blueprint

bp = Blueprint("sitin", __name__, url_prefix="/sitin")
from . import views  # noqa: E402,F401
