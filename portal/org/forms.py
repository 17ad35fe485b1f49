"""Forms for halls, departments, windows and people."""
import re

from wtforms import IntegerField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ..forms import CreateForm
from ..roles import ROLE_LABELS
from .models import DEPARTMENT_KINDS, HALL_LEVELS

NONE = 0  # the value of "（无）" in optional selects


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class HallForm(CreateForm):  # creates a record: carries a submission key
    name = StringField("大厅名称", validators=[DataRequired("请填写大厅名称"),
                                               Length(max=80, message="名称不能超过 80 个字")])
    level = SelectField("层级", choices=list(HALL_LEVELS.items()))
    parent_id = SelectField("上级大厅", coerce=int, validators=[Optional()])
    address = StringField("地址", validators=[Length(max=200, message="地址不能超过 200 个字")])
    phone = StringField("电话", validators=[Length(max=40, message="电话不能超过 40 个字符")])


class DepartmentForm(CreateForm):  # creates a record: carries a submission key
    name = StringField("名称", validators=[DataRequired("请填写部门名称"),
                                           Length(max=80, message="名称不能超过 80 个字")])
    kind = SelectField("类别", choices=list(DEPARTMENT_KINDS.items()))
    sort_order = IntegerField("排序", default=0, validators=[
        InputRequired("请填写排序号"), NumberRange(0, 9999, "排序号应在 0 到 9999 之间")])
    zone_note = StringField("负责区域（中心科室）", validators=[Length(max=200, message="不能超过 200 个字")])


class WindowForm(CreateForm):  # creates a record: carries a submission key
    number = IntegerField("窗口编号", validators=[
        InputRequired("请填写窗口编号"), NumberRange(1, 9999, "窗口编号应在 1 到 9999 之间")])
    name = StringField("窗口名称", validators=[DataRequired("请填写窗口名称"),
                                               Length(max=80, message="名称不能超过 80 个字")])
    department_id = SelectField("所属部门", coerce=int, validators=[DataRequired("请选择所属部门")])
    a_post_id = SelectField("A 岗", coerce=int, validators=[Optional()])
    b_post_id = SelectField("B 岗", coerce=int, validators=[Optional()])
    zone_office_id = SelectField("责任科室", coerce=int, validators=[Optional()])

    def validate_b_post_id(self, field):
        if field.data and field.data == self.a_post_id.data:
            raise ValidationError("A 岗和 B 岗不能是同一个人")


class PersonForm(CreateForm):  # creates a record: carries a submission key
    name = StringField("姓名", validators=[DataRequired("请填写姓名"), Length(max=40, message="姓名不能超过 40 个字")])
    login = StringField("登录名", validators=[DataRequired("请填写登录名"), Length(3, 40, "登录名为 3 到 40 个字符")])
    phone = StringField("手机号", validators=[Optional()])
    department_id = SelectField("部门", coerce=int, validators=[Optional()])
    window_id = SelectField("窗口", coerce=int, validators=[Optional()])
    roles = MultiCheckboxField("角色", choices=[(r.value, label) for r, label in ROLE_LABELS.items()])

    def validate_login(self, field):
        if not re.fullmatch(r"[A-Za-z0-9_.-]+", field.data or ""):
            raise ValidationError("登录名只能包含字母、数字、下划线、点和横线")

    def validate_phone(self, field):
        if field.data and not re.fullmatch(r"1\d{10}|0\d{2,3}-?\d{7,8}", field.data.strip()):
            raise ValidationError("请填写 11 位手机号或带区号的固定电话")

    def validate_roles(self, field):
        from ..roles import role_conflict
        if not field.data:
            raise ValidationError("请至少选择一个角色")
        message = role_conflict(field.data)
        if message:
            raise ValidationError(message)


