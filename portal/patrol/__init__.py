"""Patrols (值班巡查): rounds on the tablet, versioned checklists, findings, reports."""
from flask import Blueprint, Flask

bp = Blueprint("patrol", __name__, url_prefix="/patrol")

from . import admin_views, record_views, views  # noqa: E402,F401  (each module adds its routes to bp)


def init_app(app: Flask) -> None:
    """Link the ledger's patrol evidence to its visit record, and give each new hall its checklist."""
    from ..org import service as org
    from ..roles import PATROL_READERS
    from ..scores import service as scores
    from . import checklist, findings
    scores.link_evidence(app, findings.PHOTO_OWNER, "patrol.visit", "visit_id", PATROL_READERS, "查看巡查记录")
    org.hall_created.connect(checklist.seed_hall)
