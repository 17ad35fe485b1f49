from flask import Blueprint

bp = Blueprint("sitin", __name__, url_prefix="/sitin")
from . import desk_views, views  # noqa: E402,F401  (the views register their routes on bp)
