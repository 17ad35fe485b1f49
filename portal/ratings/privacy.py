"""The rater's name and phone: masked everywhere, revealed (audited) to the center and the unit's leader."""
from datetime import timedelta

from flask import abort
from sqlalchemy import or_, select

from .. import clock
from ..extensions import db
from ..privacy import service as privacy
from ..roles import RATING_CASE_WORKERS, RATING_CENTER
from ..rulebook import service as rules
from .models import Rating, RatingCase


def register() -> None:
    """Let the center and the rated unit's leader reveal a rater's name and phone (for the callback)."""
    privacy.register("rating.rater_name", "name", RATING_CASE_WORKERS, _loader("rater_name"))
    privacy.register("rating.rater_phone", "phone", RATING_CASE_WORKERS, _loader("rater_phone"))


def visible(rating: Rating, viewer) -> bool:
    """Say whether the viewer may see this rating's case: the center, or a leader of the rated unit."""
    return (rating is not None and rating.hall_id == viewer.hall_id
            and (viewer.has_role(*RATING_CENTER) or rating.department_id == viewer.department_id))


def _loader(attr: str):
    def load(rating_id: int, viewer):
        rating = db.session.get(Rating, rating_id)
        if not visible(rating, viewer):
            abort(404)
        return getattr(rating, attr)
    return load


def forget_raters(now=None) -> int:
    """Erase the rater's name and phone once the keeping time is over (its case, if any, finished), hall by hall:
    each hall's own keeping time (a station may keep its own)."""
    from .. import scheduled
    erased, unfinished = 0, select(RatingCase.rating_id).where(RatingCase.state.not_in(("closed", "void")))
    for hall_id in scheduled.each_hall():
        cutoff = (now or clock.now()) - timedelta(days=rules.get("evaluation.rater_keep_days"))
        old = db.session.execute(select(Rating).where(
            Rating.hall_id == hall_id, Rating.rated_at < cutoff, or_(Rating.rater_name != "", Rating.rater_phone != ""),
            Rating.id.not_in(unfinished))).scalars().all()
        for rating in old:
            rating.rater_name = rating.rater_phone = ""
        db.session.commit()
        erased += len(old)
    return erased
