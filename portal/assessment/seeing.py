"""Who sees which sheet: staff their own, window leaders their department's, the center and inspectors all."""
from flask import url_for
from werkzeug.routing import BuildError

from ..roles import ATTENDANCE_MONTH, Role
from ..scores import service as scores
from .months import in_objection_period


def sees_all(viewer) -> bool:
    """Say whether this person sees every unit's and person's sheet."""
    return scores.sees_all(viewer)


def may_see_unit(viewer, department_id: int | None) -> bool:
    """A window leader sees their own unit's sheet; the center and inspectors every unit's."""
    return scores.may_see_unit(viewer, department_id)


def may_see_person(viewer, user_id: int, department_id: int | None) -> bool:
    """A person sees their own sheet; their unit's leader and the center see it too."""
    return viewer.id == user_id or may_see_unit(viewer, department_id)


def sees_ranking(viewer, record) -> bool:
    """Say whether this person sees the whole ranking: the center always, a unit in the objection period."""
    return sees_all(viewer) or (viewer.has_role(Role.WINDOW_LEADER) and in_objection_period(record))


def may_object(viewer, record, department_id: int | None) -> bool:
    """Say whether this person may object to lines of this department's sheets now (the unit's leader)."""
    return (viewer.has_role(Role.WINDOW_LEADER) and department_id is not None
            and viewer.department_id == department_id and in_objection_period(record))


def evidence_url(viewer, evidence: str) -> str | None:
    """Return the link to an event's evidence record (finding, rating, complaint), if its owner may open it."""
    kind, _, raw = (evidence or "").partition(":")
    link = scores.evidence_link(kind) if raw.isdigit() else None
    if link is None or not viewer.has_role(*link[2]):
        return None
    try:
        return url_for(link[0], **{link[1]: int(raw)})
    except BuildError:
        return None


def proof_url(viewer, line, sheet, month: str) -> str | None:
    """Return where a line's evidence is: its record (finding, rating, complaint) or, for attendance, the punches."""
    found = evidence_url(viewer, line.evidence)
    if found or line.source != "attendance":
        return found
    if not sheet.is_unit and sheet.user_id == viewer.id:
        return url_for("attendance.my_month", month=month)
    if not viewer.has_role(*ATTENDANCE_MONTH):
        return None
    if sheet.is_unit:
        return url_for("attendance.month_grid", month=month)
    return url_for("attendance.person_month", user_id=sheet.user_id, month=month)
