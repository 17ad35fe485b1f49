"""The county (县级) over its township stations: the hall switcher, league tables, star ratings."""
from flask import Blueprint

bp = Blueprint("county", __name__, url_prefix="/county")

from . import rating_views, views  # noqa: E402,F401  (the views register their routes on bp)


def init_app(app) -> None:
    """Give every page the hall switcher of a county role."""
    app.context_processor(views.switcher_context)
