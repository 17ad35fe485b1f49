"""Case deadlines (限时办结): the approval system's cases, their deadlines, the desk, the ledger, the month."""
from flask import Blueprint

bp = Blueprint("cases", __name__, url_prefix="/cases")
from . import import_views, month_views, views  # noqa: E402,F401
