"""Forms of the case pages."""
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from ..imports.reading import DELIMITERS, ENCODINGS


class ImportForm(FlaskForm):
    """Upload an export of the approval system to preview it with a profile."""

    profile = SelectField("导入方案", validators=[DataRequired(message="请选择导入方案")])
    file = FileField("办件导出文件（Excel 或 CSV）", validators=[FileRequired(message="请选择文件")])


class ReverseForm(FlaskForm):
    """Reverse a whole import, saying why."""

    reason = TextAreaField("撤销原因", validators=[DataRequired(message="请填写撤销原因"), Length(max=500)])


class ProfileForm(FlaskForm):
    """A named column mapping for case exports; each field names a header or a column number (from 0)."""

    name = StringField("方案名称", validators=[DataRequired(message="请填写方案名称"), Length(max=60)])
    encoding = SelectField("编码", choices=list(ENCODINGS.items()))
    delimiter = SelectField("分隔符", choices=list(DELIMITERS.items()))
    skip_rows = IntegerField("标题行数", default=0, validators=[InputRequired(), NumberRange(min=0, max=50)])
    header = BooleanField("有表头行（按列名读取）", default=True)


class RemindForm(FlaskForm):
    """The duty leader's reminder to a window, with an optional note."""

    note = StringField("提醒内容（可不填）", validators=[Length(max=200)])
