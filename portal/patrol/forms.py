"""Forms of the patrols."""
from wtforms import StringField
from wtforms.validators import Length

from ..forms import CreateForm


class NoteForm(CreateForm):  # creates a record: carries a submission key
    """The note of a checklist change."""

    note = StringField("修改说明", validators=[Length(max=200)])
