"""The halls a county role works over, by name and in tree order."""
from sqlalchemy import select

from .. import hallscope
from ..extensions import db
from ..org.models import Hall


def halls(user) -> list[Hall]:
    """Return the halls the person may act in, the county first, then its stations by id."""
    ids = hallscope.halls_of(user)
    rows = db.session.execute(select(Hall).where(Hall.id.in_(ids))).scalars().all()
    order = {hall_id: n for n, hall_id in enumerate(ids)}
    return sorted(rows, key=lambda h: order[h.id])
