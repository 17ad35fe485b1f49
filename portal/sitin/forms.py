"""Forms of the sit-in pages; the server decides department rules, desks and states."""
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import Length, Optional

from ..forms import CreateForm


class BookingForm(CreateForm):  # creates a record: carries a submission key
    """Book a half day or a full day (day and half come from the tapped cell)."""

    day = StringField("日期")
    half = StringField("时段")
    department_id = StringField("部门", validators=[Optional()])
    note = StringField("备注", validators=[Optional(), Length(max=200)])


class CancelForm(FlaskForm):
    """Cancel a booking; after the deadline the reason is required."""

    reason = StringField("取消原因", validators=[Optional(), Length(max=200, message="原因不超过 200 字")])


class NoteForm(CreateForm):  # creates a record: carries a submission key
    """The leader's record of the sit-in (坐班记录)."""

    looked_at = TextAreaField("查看了哪些窗口、发现了什么问题", validators=[Length(max=2000)])
    solved = TextAreaField("现场协调解决了哪些问题", validators=[Length(max=2000)])
    proposed = TextAreaField("意见和建议", validators=[Optional(), Length(max=2000)])
