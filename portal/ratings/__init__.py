"""Service ratings (好差评): the evaluator at the window, bad-review cases, points and published figures."""
from flask import Blueprint

bp = Blueprint("ratings", __name__, url_prefix="/ratings")
evaluator_bp = Blueprint("evaluator", __name__, url_prefix="/evaluator")
from . import (  # noqa: E402,F401  (the views register their routes)
    case_views,
    device_views,
    figure_views,
    import_views,
    praise_views,
    tag_views,
    window_views,
)


def init_app(app) -> None:
    """Register the evaluator's public pages, its poll copy, the month's recount, masked fields, evidence links."""
    from ..scores import service as scores
    from . import evaluator, privacy, service
    app.register_blueprint(evaluator_bp)
    evaluator.DEVICES.listen()
    service.listen()
    privacy.register()
    scores.link_evidence(app, "rating_case", "ratings.case", "case_id", case_views.CASE_READERS, "查看差评整改")
    scores.link_evidence(app, "rating_praise", "ratings.praise_one", "praise_id", praise_views.PRAISE_READERS,
                         "查看表扬登记")
