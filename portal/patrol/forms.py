"""Forms of the patrols."""
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import Length


class NoteForm(FlaskForm):
    """The note of a checklist change."""

    note = StringField("修改说明", validators=[Length(max=200)])
