"""The forms of the shared import pages: upload, reversal, and a named column-mapping profile."""
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from ..forms import CreateForm
from .reading import DELIMITERS, ENCODINGS


class UploadForm(FlaskForm):
    """Upload a file to preview it with a profile (the file's label is the capability's)."""

    profile = SelectField("导入方案", validators=[DataRequired(message="请选择导入方案")])
    file = FileField("导入文件", validators=[FileRequired(message="请选择文件")])


class ReverseForm(CreateForm):
    """Reverse a whole import, saying why."""

    reason = TextAreaField("撤销原因", validators=[DataRequired(message="请填写撤销原因"), Length(max=500)])


class ProfileForm(CreateForm):
    """A named column mapping; each field names a header or a column number (from 0)."""

    name = StringField("方案名称", validators=[DataRequired(message="请填写方案名称"), Length(max=60)])
    encoding = SelectField("编码", choices=list(ENCODINGS.items()))
    delimiter = SelectField("分隔符", choices=list(DELIMITERS.items()))
    skip_rows = IntegerField("标题行数", default=0, validators=[InputRequired(), NumberRange(min=0, max=50)])
    header = BooleanField("有表头行（按列名读取）", default=True)


def profile_form(options) -> type[ProfileForm]:
    """Return the profile form with a capability's own options (name, label) as required text fields."""
    extra = {name: StringField(label, validators=[DataRequired(message=f"请填写{label}"), Length(max=24)])
             for name, label in options}
    return type("ProfileForm", (ProfileForm,), extra) if extra else ProfileForm
