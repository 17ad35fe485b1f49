"""Forms of the duty desk; the server decides states, steps and who may act."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ..forms import CreateForm, FastSelect
from .models import LOG_KINDS


class LogItemForm(CreateForm):  # creates a record: carries a submission key
    """Register a duty log item (登记)."""

    kind = SelectField("类别", choices=list(LOG_KINDS.items()), widget=FastSelect())
    window_id = SelectField("窗口", choices=[], validate_choice=False, widget=FastSelect())
    people = StringField("涉及人员", validators=[Optional(), Length(max=200, message="不超过 200 字")])
    text = TextAreaField("事项内容", validators=[DataRequired("请填写事项内容"), Length(max=2000)])
    major = BooleanField("重大事项（立即报告中心领导）")


class StepForm(CreateForm):  # creates a record: carries a submission key
    """Record the next step of a log item."""

    step = HiddenField()
    version = HiddenField()
    note = TextAreaField("情况说明", validators=[DataRequired("请填写情况说明"), Length(max=2000)])


class AmendForm(CreateForm):  # creates a record: carries a submission key
    """Correct a log item's text; the original is kept."""

    version = HiddenField()
    text = TextAreaField("更正后的内容", validators=[DataRequired("请填写更正后的内容"), Length(max=2000)])
    reason = StringField("更正原因", validators=[DataRequired("请填写更正原因"), Length(max=200)])


class LeaveForm(CreateForm):  # creates a record: carries a submission key
    """Approve a short leave starting now."""

    user_id = HiddenField("外出人员")
    minutes = IntegerField("时长（分钟）", validators=[DataRequired("请填写外出时长"),
                                                   NumberRange(min=1, message="须大于 0")])
    reason = StringField("事由", validators=[DataRequired("请填写外出事由"), Length(max=200)])


class ReturnForm(FlaskForm):
    """Record a return; empty time means now."""

    at = StringField("返回时间", validators=[Optional(), Length(max=5)])


class OverrideForm(CreateForm):  # creates a record: carries a submission key
    """Ask a colleague to take days of one's duty (替岗)."""

    substitute_id = SelectField("替岗人", choices=[], validate_choice=False)
    first_day = DateField("开始日期", validators=[DataRequired("请选择日期")])
    last_day = DateField("结束日期", validators=[DataRequired("请选择日期")])
    reason = StringField("事由", validators=[Optional(), Length(max=200)])


class CounterForm(CreateForm):  # creates a record: carries a submission key
    """Leave the counter for part of today with a named substitute."""

    substitute_id = SelectField("替岗人", choices=[], validate_choice=False)
    starts = StringField("离岗时间", validators=[DataRequired("请填写离岗时间")])
    ends = StringField("返岗时间", validators=[DataRequired("请填写返岗时间")])
    reason = StringField("事由", validators=[DataRequired("请填写离岗事由"), Length(max=200)])


class GenerateForm(CreateForm):  # creates a record: carries a submission key
    """Lay the rotation over a date range."""

    start = DateField("开始日期", validators=[DataRequired("请选择开始日期")])
    end = DateField("结束日期", validators=[DataRequired("请选择结束日期")])
    general_leader_id = SelectField("总值班长", choices=[], validate_choice=False)


class HandoverForm(CreateForm):  # creates a record: carries a submission key
    """The outgoing leader's summary and the incoming leader."""

    to_user_id = SelectField("接班值班长", choices=[], validate_choice=False)
    summary = TextAreaField("本班工作小结", validators=[DataRequired("请填写本班工作小结"), Length(max=4000)])


class CheckItemForm(CreateForm):  # creates a record: carries a submission key
    """Add a line to a checklist."""

    kind = SelectField("清单", choices=[("opening", "开厅检查"), ("closing", "闭厅检查")])
    label = StringField("检查项目", validators=[DataRequired("请填写检查项目"), Length(max=60)])
    office_id = SelectField("责任科室", choices=[], validate_choice=False)
