"""The public tracking page's rules (办理进度查询): look-ups by number and code, limited per address."""
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from .. import clock
from ..audit import service as audit
from ..extensions import db
from ..rulebook import service as rules
from . import deadlines
from .models import Complaint, TrackFailure
from .service import ComplaintError

NOT_FOUND = "案件编号或查询码不正确"
LIMITED = "查询错误次数过多，请稍后再试，或拨打大厅电话查询"


@dataclass
class PublicView:
    """What a complainant may see: never staff names or internal notes."""

    number: str
    kind: str
    state: str
    received_at: datetime
    deadlines: deadlines.Deadlines
    reply: str
    replied_at: datetime | None


def _recent_failures(address: str, now: datetime) -> int:
    since = now - timedelta(minutes=rules.get("complaints.track_window_minutes"))
    return db.session.execute(select(func.count(TrackFailure.id)).where(
        TrackFailure.address == address, TrackFailure.at >= since)).scalar_one()


def look_up(number: str, code: str, address: str) -> PublicView:
    """Return the case for a matching number and code; a wrong pair is counted, audited and refused alike."""
    now = clock.now()
    if _recent_failures(address, now) >= rules.get("complaints.track_failures"):
        raise ComplaintError(LIMITED, 429)
    found = db.session.execute(select(Complaint).where(Complaint.number == (number or "").strip())).scalars()
    case = next((c for c in found if hmac.compare_digest(c.query_code, (code or "").strip())), None)
    if case is None:
        db.session.add(TrackFailure(address=address, at=now))
        audit.record("complaint.track_failed", "complaint", "", "denied", {"number": (number or "")[:20]})
        db.session.commit()
        raise ComplaintError(NOT_FOUND, 404)
    with rules.in_hall(case.hall_id):  # nobody signs in here: the deadlines on the case's hall's rulebook and calendar
        return public_view(case)


def public_view(case: Complaint) -> PublicView:
    """Return what the public page shows of a case."""
    reply = deadlines.last(case.steps, "replied")
    return PublicView(case.number, case.kind_label, _public_state(case), case.received_at, deadlines.of(case),
                      reply.note if reply else "", reply.at if reply else None)


def _public_state(case: Complaint) -> str:
    return {"received": "已受理", "sent": "已转承办单位", "accepted": "办理中", "paused": "等待您补充材料",
            "replied": "已答复", "closed": "已办结"}.get(case.state, case.state)
