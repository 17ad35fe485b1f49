"""Forms for rulebook values and calendar days."""
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField
from wtforms.validators import DataRequired, Length

from ..forms import CreateForm
from .models import CalendarDay


class SettingForm(FlaskForm):
    value = StringField("新值", validators=[DataRequired("请填写新值"), Length(max=40, message="不能超过 40 个字符")])
    reason = StringField("修改原因", validators=[Length(max=200, message="不能超过 200 个字")])


class CalendarDayForm(CreateForm):  # creates a record: carries a submission key
    day = DateField("日期", validators=[DataRequired("请选择正确的日期")])
    kind = SelectField("类别", choices=list(CalendarDay.KINDS.items()))
    name = StringField("名称", validators=[Length(max=60, message="名称不能超过 60 个字")])

