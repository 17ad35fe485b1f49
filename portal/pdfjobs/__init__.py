"""Progress pages for long PDFs rendered in the background."""
from flask import Blueprint

bp = Blueprint("pdfjobs", __name__, url_prefix="/pdf")

from . import views  # noqa: E402,F401
