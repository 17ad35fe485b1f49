"""The hall's organisation: halls, departments, windows and people."""
from flask import Blueprint

bp = Blueprint("org", __name__, url_prefix="/admin")

from . import views  # noqa: E402,F401
