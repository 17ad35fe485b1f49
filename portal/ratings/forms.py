"""Forms of the ratings pages."""
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ..forms import CreateForm


class EvaluatorForm(CreateForm):  # creates a record: carries a submission key
    """Pair an evaluator (评价器) to a window."""

    window_id = SelectField("窗口", coerce=int, validators=[DataRequired("请选择窗口")])
    name = StringField("名称", validators=[Optional(), Length(max=60, message="名称不超过 60 个字")])


class TagsForm(CreateForm):
    """A new version of the indicator tags (评价指标), one a line."""

    tags = TextAreaField("差评指标（每行一个）", validators=[DataRequired("请填写指标")])
