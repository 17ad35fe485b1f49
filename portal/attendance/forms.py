"""Forms of the attendance pages."""
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, TextAreaField, TimeField
from wtforms.validators import DataRequired, InputRequired, Length

from ..forms import CreateForm
from .leave_models import HALF_NAMES, KINDS, SENDBACK_DECISIONS


class MapForm(CreateForm):
    """Map a device user id to a person."""

    source = StringField(validators=[DataRequired()])
    device_user_id = StringField(validators=[DataRequired()])
    user_id = SelectField("人员", coerce=int, validate_choice=False,
                          validators=[DataRequired(message="请选择人员")])


class DeviceForm(CreateForm):
    """Register a push device by its serial number."""

    serial = StringField("设备序列号（SN）", validators=[DataRequired(message="请填写设备序列号"), Length(max=40)])
    name = StringField("名称或位置", validators=[Length(max=60)])
    field_order = StringField("打卡行的字段顺序", validators=[DataRequired(message="请填写字段顺序"), Length(max=120)])


class LeaveForm(CreateForm):
    """Ask for leave (请假单): kind, reason and the window of half days."""

    kind = SelectField("请假类别", choices=list(KINDS.items()), validators=[DataRequired(message="请选择请假类别")])
    reason = TextAreaField("事由", validators=[DataRequired(message="请填写请假事由"), Length(max=300)])
    first_day = DateField("开始日期", validators=[InputRequired(message="请选择开始日期")])
    first_half = SelectField("开始", choices=list(HALF_NAMES.items()))
    last_day = DateField("结束日期", validators=[InputRequired(message="请选择结束日期")])
    last_half = SelectField("结束", choices=list(HALF_NAMES.items()), default="pm")


class EmergencyLeaveForm(LeaveForm):
    """Emergency leave phoned in, recorded at the desk for a person."""

    user_id = SelectField("请假人员", coerce=int, validate_choice=False,
                          validators=[DataRequired(message="请选择人员")])


class DecisionForm(FlaskForm):
    """Approve or refuse one step of a leave request (or a 补卡 request)."""

    decision = StringField(validators=[DataRequired()])
    note = StringField("意见", validators=[Length(max=300)])
    substitute_id = SelectField("顶岗人员", coerce=int, validate_choice=False, default=0)


class CorrectionForm(CreateForm):
    """Ask for a missed punch to be corrected (补卡)."""

    day = DateField("日期", validators=[InputRequired(message="请选择日期")])
    time = TimeField("打卡时间", validators=[InputRequired(message="请填写打卡时间")])
    reason = TextAreaField("原因", validators=[DataRequired(message="请填写补卡原因"), Length(max=300)])


class SendBackForm(CreateForm):
    """The center's decision on a person over the year's send-back thresholds."""

    decision = SelectField("处理结果", choices=list(SENDBACK_DECISIONS.items()),
                           validators=[DataRequired(message="请选择处理结果")])
    note = TextAreaField("研究意见", validators=[DataRequired(message="请填写研究意见"), Length(max=300)])


class DirectorForm(CreateForm):
    """Name the person who approves leave up to a day (值班主任), or go back to the general duty leaders."""

    user_id = SelectField("请假审批人", coerce=int, validate_choice=False, default=0)
