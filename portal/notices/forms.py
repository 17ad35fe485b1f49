"""Forms of the notice board; the service checks audiences, times and states."""
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    HiddenField,
    MultipleFileField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from ..forms import CreateForm
from ..org.forms import MultiCheckboxField
from .models import AUDIENCES, CATEGORIES

TIME_FORMAT = "%Y-%m-%dT%H:%M"
# Editing a must-read notice someone has acknowledged: does the change ask everyone again?
CHANGES = {"substance": "内容有实质性修改，需重新阅知", "typo": "仅更正错字，保留已有的阅知"}


class NoticeForm(CreateForm):  # creates a record: carries a submission key
    """Write or edit a notice (公告)."""

    title = StringField("标题", validators=[DataRequired("请填写标题"),
                                          Length(max=120, message="标题不超过 120 个字")])
    category = SelectField("类别", choices=list(CATEGORIES.items()))
    body = TextAreaField("正文（可用简单格式：**加粗**、- 列表、| 表格 |）",
                         validators=[Length(max=20000, message="正文不超过 20000 字")])
    audience = RadioField("发布范围", choices=list(AUDIENCES.items()), default="staff")
    department_ids = MultiCheckboxField("指定部门", coerce=int, validators=[Optional()])
    pinned = BooleanField("置顶")
    must_read = BooleanField("须阅知（每人须确认已阅）")
    emergency = BooleanField("紧急通知（打断大厅屏幕轮播，直到失效或撤回）")
    publish_at = DateTimeLocalField("定时发布（留空则立即发布）", format=TIME_FORMAT,
                                    validators=[Optional()])
    expires_at = DateTimeLocalField("失效时间（留空则长期有效）", format=TIME_FORMAT, validators=[Optional()])
    attachments = MultipleFileField("附件（PDF 或图片）")
    change = RadioField("这次修改", choices=list(CHANGES.items()), validators=[Optional()])
    revision = HiddenField()

