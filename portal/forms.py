"""Form pieces shared by every capability."""
from flask import abort
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import HiddenField, SelectField
from wtforms.widgets import Select
from wtforms.widgets.core import html_params

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


class FastSelect(Select):
    """WTForms' select, with the same HTML, writing a plain option directly (a long list costs a quarter)."""

    def __call__(self, field, **kwargs):
        if self.multiple or (_plain_pairs(field) is None and field.has_groups()):
            return super().__call__(field, **kwargs)
        kwargs.setdefault("id", field.id)
        flags = getattr(field, "flags", {})
        for k in dir(flags):
            if k in self.validation_attrs and k not in kwargs:
                kwargs[k] = getattr(flags, k)
        html = [f"<select {html_params(name=field.name, **kwargs)}>"]
        pairs = _plain_pairs(field)
        if pairs is not None:  # WTForms' own answer for (value, label) pairs, without a Choice for each
            for value, label in pairs:
                shown = str(value) if isinstance(value, bool) else value
                html.append(f'<option {"selected " if field.coerce(value) == field.data else ""}'
                            f'value="{escape(shown)}">{escape(label or value)}</option>')
            html.append("</select>")
            return Markup("".join(html))
        for c in field._iter_choices_normalized():
            if c.render_kw:
                html.append(self.render_option(c))
                continue
            value = str(c.value) if isinstance(c.value, bool) else c.value
            # html_params sorts the attributes (selected before value); escape() leaves no bare quote.
            html.append(f'<option {"selected " if c.selected else ""}value="{escape(value)}">'
                        f"{escape(c.label or c.value)}</option>")
        html.append("</select>")
        return Markup("".join(html))


def _plain_pairs(field) -> list | None:
    """Return a plain SelectField's choices when they are a list of (value, label) pairs (no groups), else None."""
    kind = type(field)
    if kind.iter_choices is not SelectField.iter_choices or kind.has_groups is not SelectField.has_groups:
        return None
    choices = field.choices
    if type(choices) is not list or not all(type(c) is tuple and len(c) == 2 for c in choices):
        return None
    return choices
