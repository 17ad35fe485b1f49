from flask import Blueprint

bp = Blueprint("notices", __name__, url_prefix="/notices")
from . import views  # noqa: E402,F401
