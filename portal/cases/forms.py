"""Forms of the case pages."""
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import Length


class RemindForm(FlaskForm):
    """The duty leader's reminder to a window, with an optional note."""

    note = StringField("提醒内容（可不填）", validators=[Length(max=200)])
