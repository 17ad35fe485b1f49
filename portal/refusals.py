"""Refusals: an action the hall's rules do not allow, told to the person in Chinese."""
from collections.abc import Callable

from flask import abort

from .extensions import db


class Refusal(Exception):
    """A refused action with a Chinese message and the HTTP status to answer (nothing is saved)."""

    status = 422

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status


def refused(error: Refusal, panel: Callable | None = None, **context):
    """Answer a refusal: roll back, then abort (403/404) or re-render the panel with the message.

    `panel(message=..., status=..., **context)` renders the form or fragment the action came from;
    it decides between page and fragment through htmx.render like any other answer. A 403 or 404
    goes to the error handlers, which audit it.
    """
    db.session.rollback()
    if error.status in (403, 404) or panel is None:
        abort(error.status, description=error.message)
    return panel(message=error.message, status=error.status, **context)
