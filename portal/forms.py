"""Form pieces shared by every capability."""
from flask import abort
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import HiddenField
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
        if self.multiple or field.has_groups():
            return super().__call__(field, **kwargs)
        kwargs.setdefault("id", field.id)
        flags = getattr(field, "flags", {})
        for k in dir(flags):
            if k in self.validation_attrs and k not in kwargs:
                kwargs[k] = getattr(flags, k)
        html = [f"<select {html_params(name=field.name, **kwargs)}>"]
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
