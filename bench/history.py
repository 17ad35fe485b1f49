"""Per-capability generators of synthetic history, and the ids the endpoints need."""
from sqlalchemy import select

from portal.extensions import db
from portal.org.models import Window

# (name, function(years) -> count); capabilities add theirs as they land.
GENERATORS = []


def ids() -> dict:
    """Return the ids used in endpoint paths."""
    window = db.session.execute(select(Window.id).order_by(Window.number).limit(1)).scalar()
    return {"window_id": window}
