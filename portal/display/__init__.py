from flask import Blueprint

bp = Blueprint("display", __name__, url_prefix="/display")
from . import views  # noqa: E402,F401  (the views register their routes on bp)


def init_app(app) -> None:
    """Tell the screens when a commit changes a screen or a board stamp."""
    from . import snapshot
    snapshot.listen()
