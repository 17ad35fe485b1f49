"""A verified bad review's points in the score ledger: charged once, reversed when the review is void."""
from decimal import Decimal

from ..auth.models import User
from ..extensions import db
from ..rulebook import service as rules
from ..scores import service as scores
from ..scores.models import ScoreEvent


def charge(case, user) -> None:
    """Charge the unit and the rated staff member the rulebook's points, once per review (the ledger key)."""
    rating = case.rating
    common = {"rule": "好差评：查实的不满意", "source": "evaluation", "day": rating.day, "recorded_by": user,
              "evidence": f"rating_case:{case.id}", "note": f"{rating.level_label}"}
    unit = scores.record(subject_department=case.department,
                         points=-Decimal(rules.get("unit_points.verified_dissatisfaction")),
                         key=f"rating:{rating.id}:unit", **common)
    case.unit_event_id = unit.id if unit else case.unit_event_id
    if rating.staff_id:
        staff = db.session.get(User, rating.staff_id)
        event = scores.record(staff, points=-Decimal(rules.get("staff_points.verified_dissatisfaction")),
                              department_id=rating.department_id, key=f"rating:{rating.id}:staff", **common)
        case.staff_event_id = event.id if event else case.staff_event_id


def restore(case, user, reason: str) -> None:
    """Reverse the review's points (申诉成立), each at most once."""
    ids = [i for i in (case.unit_event_id, case.staff_event_id) if i]
    done = scores.voided_ids(ids)
    for event_id in ids:
        if event_id not in done:
            scores.void(db.session.get(ScoreEvent, event_id), f"{scores.APPEAL_UPHELD}：{reason}", user)
