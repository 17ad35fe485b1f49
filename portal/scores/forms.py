"""Forms of the score ledger."""
from flask_wtf import FlaskForm
from wtforms import DateField, DecimalField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from ..forms import CreateForm


class VoidForm(FlaskForm):
    """Void an event with its reason (申诉成立)."""

    reason = TextAreaField("撤销理由", validators=[DataRequired("请填写撤销理由"), Length(max=500)],
                           default="申诉成立：")


class ManualForm(CreateForm):  # creates a record: carries a submission key
    """Record a deduction or bonus by hand (手工登记)."""

    subject = SelectField("对象", validators=[DataRequired("请选择对象")])
    points = DecimalField("分值（扣分填负数）", places=2,
                          validators=[InputRequired("请填写分值"), NumberRange(-100, 100, "分值须在 -100 到 100 之间")])
    rule = StringField("事由", validators=[DataRequired("请填写事由"), Length(max=120)])
    day = DateField("日期", validators=[DataRequired("请填写日期")])
    note = TextAreaField("说明", validators=[Length(max=500)])
