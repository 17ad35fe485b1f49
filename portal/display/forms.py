"""Forms of the hall screen admin page."""
from wtforms import StringField
from wtforms.validators import DataRequired, Length, Optional

from ..forms import CreateForm


class ScreenForm(CreateForm):  # creates a record: carries a submission key
    """Add a hall screen (大厅屏幕)."""

    name = StringField("屏幕名称", validators=[DataRequired("请填写屏幕名称"),
                                               Length(max=60, message="名称不超过 60 个字")])
    location = StringField("位置", validators=[Optional(), Length(max=100, message="位置不超过 100 个字")])
