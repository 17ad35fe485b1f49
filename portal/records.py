"""Load a record of the signed-in person's hall (and department), or answer 404 and leave a trace."""
from flask import abort, request
from flask_login import current_user

from .extensions import db


def hall_record(model, record_id, *, hall_id: int | None = None, department_id: int | None = None,
                department_attr: str = "department_id"):
    """Return the record if it belongs to the hall (and department), else refuse with an audited 404.

    The hall defaults to the signed-in person's; a service called without a request passes it.
    """
    hall_id = current_user.hall_id if hall_id is None else hall_id
    obj = db.session.get(model, record_id) if record_id is not None else None
    if obj is None:
        abort(404)
    why = None
    if getattr(obj, "hall_id", None) != hall_id:
        why = "other hall"
    elif department_id is not None and getattr(obj, department_attr, None) != department_id:
        why = "other department"
    if why:
        refuse_record(model.__tablename__, record_id, why)
    return obj


def refuse_record(object_type: str, record_id, why: str):
    """Answer 404 for a record the person may not see, as if it did not exist, and audit the attempt."""
    from .audit import service as audit
    audit.record_now("access.denied", object_type, record_id, "denied",
                     {"why": why, "path": request.path, "method": request.method})
    abort(404)
