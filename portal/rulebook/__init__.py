"""The hall's rulebook (规则设置) and working-day calendar (工作日历)."""
from flask import Blueprint

bp = Blueprint("rulebook", __name__, url_prefix="/admin")

from . import calendar_views, views  # noqa: E402,F401
