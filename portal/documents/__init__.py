"""Official documents (公文): document numbers (发文字号) and the letterhead every printable carries."""
from flask import Blueprint

bp = Blueprint("documents", __name__, url_prefix="/admin/documents")

from . import service, views  # noqa: E402,F401

bp.add_app_template_filter(service.cn_date, "cn_date")
bp.add_app_template_global(service.cn_span, "cn_span")
bp.add_app_template_global(service.letterhead, "letterhead")
