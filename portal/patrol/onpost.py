"""On-post findings (空岗, 脱岗) for other capabilities: attendance shows them beside the person's half day."""
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from .. import clock
from ..extensions import db
from ..org.models import Window
from .models import PatrolFinding, PatrolFindingVoid, PatrolVisit


@dataclass(frozen=True)
class PostFinding:
    """A finding that someone was not at their post, for the attendance of those people then."""

    user_ids: tuple
    day: date
    at: datetime  # aware, the hall's zone
    label: str
    visit_id: int

    @property
    def clock_time(self) -> str:
        """The finding's time as the hall's wall clock shows it: 10:05."""
        return f"{self.at.hour:02d}:{self.at.minute:02d}"


def off_post_findings(hall_id: int, first: date, last: date) -> list[PostFinding]:
    """Return the range's standing on-post findings in one query: a person's, or a window's for its A and B posts."""
    rows = db.session.execute(
        select(PatrolFinding.person_id, PatrolFinding.label, PatrolVisit.id, PatrolVisit.day, PatrolVisit.at,
               Window.a_post_id, Window.b_post_id)
        .join(PatrolVisit, PatrolFinding.visit_id == PatrolVisit.id).join(Window, Window.id == PatrolVisit.window_id)
        .outerjoin(PatrolFindingVoid, PatrolFindingVoid.finding_id == PatrolFinding.id)
        .where(PatrolVisit.hall_id == hall_id, PatrolVisit.day >= first, PatrolVisit.day <= last,
               PatrolFinding.section == "on_post", PatrolFindingVoid.id.is_(None))
        .order_by(PatrolVisit.at, PatrolFinding.id)).all()
    return [PostFinding((person,) if person else tuple(p for p in (a, b) if p), day, clock.local(at), label, visit)
            for person, label, visit, day, at, a, b in rows]
