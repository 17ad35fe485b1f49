"""Load a record of the signed-in person's hall (and department), or answer 404 and leave a trace."""
from flask import abort, request
from flask_login import current_user

from . import hallscope
from .extensions import db


def hall_record(model, record_id, *, hall_id: int | None = None, department_id: int | None = None,
                department_attr: str = "department_id"):
    """Return the record if it belongs to the hall (and department), else refuse with an audited 404.

    Without a hall, any hall the signed-in person may act in will do (a county role opening a station's
    record): the request then acts in the record's hall. A service called without a request passes it.
    """
    obj = db.session.get(model, record_id) if record_id is not None else None
    if obj is None:
        abort(404)
    why = None
    if not _in_hall(getattr(obj, "hall_id", None), hall_id):
        why = "other hall"
    elif department_id is not None and getattr(obj, department_attr, None) != department_id:
        why = "other department"
    if why:
        refuse_record(model.__tablename__, record_id, why)
    return obj


def _in_hall(record_hall: int | None, hall_id: int | None) -> bool:
    if hall_id is not None:
        return record_hall == hall_id
    if record_hall is None or record_hall == current_user.hall_id:
        return record_hall is not None
    if not hallscope.may_act_in(current_user, record_hall):
        return False
    hallscope.act_in(current_user, record_hall)
    return True


def refuse_record(object_type: str, record_id, why: str):
    """Answer 404 for a record the person may not see, as if it did not exist, and audit the attempt."""
    from .audit import service as audit
    audit.record_now("access.denied", object_type, record_id, "denied",
                     {"why": why, "path": request.path, "method": request.method})
    abort(404)
