"""The complaint registration form; the server decides owners, states and deadlines."""
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ..forms import CreateForm
from .models import CHANNELS, KINDS


class RegisterForm(CreateForm):  # creates a record: carries a submission key
    """Register a complaint from any channel (受理登记)."""

    channel = SelectField("渠道", choices=list(CHANNELS.items()))
    kind = SelectField("类别", choices=list(KINDS.items()), default="complaint")
    name = StringField("投诉人姓名", validators=[Optional(), Length(max=60)])
    phone = StringField("联系电话", validators=[Optional(), Length(max=30)])
    window_id = SelectField("涉及窗口", choices=[], validate_choice=False)
    department_id = SelectField("涉及单位", choices=[], validate_choice=False)
    text = TextAreaField("反映的问题", validators=[DataRequired("请填写反映的问题"), Length(max=4000)])
    at_desk = BooleanField("在值班台受理（同时记入值班日志）")
