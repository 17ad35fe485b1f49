"""Forms of the ratings pages."""
from flask_wtf.file import FileField
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ..forms import CreateForm


class EvaluatorForm(CreateForm):  # creates a record: carries a submission key
    """Pair an evaluator (评价器) to a window."""

    window_id = SelectField("窗口", coerce=int, validators=[DataRequired("请选择窗口")])
    name = StringField("名称", validators=[Optional(), Length(max=60, message="名称不超过 60 个字")])


class TagsForm(CreateForm):
    """A new version of the indicator tags (评价指标), one a line."""

    tags = TextAreaField("差评指标（每行一个）", validators=[DataRequired("请填写指标")])


class PraiseForm(CreateForm):
    """A praise received (表扬信、锦旗、媒体表扬) and its evidence."""

    kind = SelectField("表扬类型", validators=[DataRequired("请选择表扬类型")])
    department_id = SelectField("受表扬的窗口单位", coerce=int, validators=[DataRequired("请选择窗口单位")])
    staff_id = SelectField("受表扬的工作人员（可不选）", coerce=int, validators=[Optional()])
    received_on = DateField("收到日期", validators=[InputRequired("请填写收到日期")])
    source = StringField("来源（如：群众来信、某某日报）", validators=[
        DataRequired("请填写表扬来源"), Length(max=100, message="来源不超过 100 个字")])
    summary = TextAreaField("内容摘要", validators=[Optional(), Length(max=1000, message="摘要不超过 1000 个字")])
    evidence = FileField("表扬材料（表扬信、锦旗照片或报道截图，PDF 或图片）")
