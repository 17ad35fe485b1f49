"""Progress pages for long PDFs rendered in the background."""
from flask import Blueprint, Flask

bp = Blueprint("pdfjobs", __name__, url_prefix="/pdf")

from . import views  # noqa: E402,F401


def init_app(_app: Flask) -> None:
    """Name the worker's function for PDF jobs: the HTML rendered by the request, turned into PDF bytes."""
    from .. import jobs
    from ..pdf import html_to_pdf
    jobs.register("pdf", html_to_pdf)
