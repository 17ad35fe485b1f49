"""The form of a year's document numbering."""
from wtforms import IntegerField, StringField
from wtforms.validators import InputRequired

from ..forms import CreateForm


class SeriesForm(CreateForm):
    """A year's 机关代字 (field `code`: `prefix` is a form keyword), issuing office and next number."""

    code = StringField("机关代字", validators=[InputRequired("请填写机关代字，例如“示范政服”")])
    issuer = StringField("发文机关名称", validators=[InputRequired("请填写发文机关名称")])
    next_number = IntegerField("本年下一个编号", validators=[InputRequired("请填写下一个编号（整数）")])

    def validate_next_number(self, field):
        """Keep WTForms' English "Not a valid integer value." off the page."""
        if field.data is None:
            field.errors[:] = ["下一个编号须是整数"]
