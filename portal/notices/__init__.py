from flask import Blueprint

bp = Blueprint("notices", __name__, url_prefix="/notices")
from . import edit_views, views  # noqa: E402,F401  (the views register their routes on bp)
