"""The score ledger (考核台账): deductions and bonuses of people and window units, corrected by reversal."""
from flask import Blueprint, Flask

bp = Blueprint("scores", __name__, url_prefix="/scores")

from . import views  # noqa: E402,F401  (the routes register on bp)


def init_app(app: Flask) -> None:
    """Keep the ledger append-only in every session: an edited or deleted event is refused at flush."""
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    from .models import refuse_edits
    if not event.contains(Session, "before_flush", refuse_edits):
        event.listen(Session, "before_flush", refuse_edits)
