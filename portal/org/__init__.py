"""The hall's organisation: halls, departments, windows and people."""
from flask import Blueprint

bp = Blueprint("org", __name__, url_prefix="/admin")

from . import people_views, views  # noqa: E402,F401  (the views register their routes on bp)


def init_app(app) -> None:
    """Let the admin reveal people's phone numbers (masked everywhere else)."""
    people_views.register_reveals()
