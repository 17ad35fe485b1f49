"""Each role's home page, and the health check."""
from flask import Blueprint

bp = Blueprint("home", __name__)

from . import views  # noqa: E402,F401
