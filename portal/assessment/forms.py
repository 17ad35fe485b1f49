"""Forms of the monthly assessment: a unit's objection and the supervisor's ruling."""
from wtforms import RadioField, TextAreaField
from wtforms.validators import DataRequired, Length

from ..forms import CreateForm


class ObjectionForm(CreateForm):
    """Object to one line of a published sheet (异议)."""

    reason = TextAreaField("异议理由", validators=[DataRequired("请填写异议理由"), Length(max=1000)])


class RulingForm(CreateForm):
    """Rule on an objection (裁定)."""

    decision = RadioField("裁定", choices=[("upheld", "异议成立（撤销该项记分）"), ("rejected", "异议不成立（维持）")],
                          validators=[DataRequired("请选择裁定结果")])
    note = TextAreaField("裁定意见", validators=[DataRequired("请填写裁定意见"), Length(max=1000)])
