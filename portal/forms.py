"""Form pieces shared by every capability."""
from flask import abort
from flask_wtf import FlaskForm
from wtforms import HiddenField

from .once import new_key


class OnceField(HiddenField):
    """The hidden one-time submission key: every rendering gets a fresh key (portal.once)."""

    def _value(self):
        return new_key()


class CreateForm(FlaskForm):
    """A form that creates a record: CSRF token and a one-time submission key, both in hidden_tag()."""

    once = OnceField()  # the name portal.once.FIELD reads


class ConfirmForm(CreateForm):
    """An empty form: only the CSRF token (and a submission key), for one-button actions."""


def confirmed() -> None:
    """Refuse a one-button post without its CSRF token."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
