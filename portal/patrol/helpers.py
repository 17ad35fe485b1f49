"""View helpers shared by the patrol pages: answers after a one-button post."""
from flask import abort, redirect

from ..forms import ConfirmForm
from ..htmx import hx_redirect, is_htmx


def go(url: str):
    """Send the person to another page: a full navigation for htmx, a 303 otherwise."""
    return hx_redirect(url) if is_htmx() else redirect(url, 303)


def confirmed() -> None:
    """Refuse a one-button post without its CSRF token."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
