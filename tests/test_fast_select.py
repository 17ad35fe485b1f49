"""The fast select widget writes exactly the HTML of WTForms' own."""
import pytest
from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField
from wtforms.widgets import Select

from portal.forms import FastSelect

CHOICES = [("", "（不涉及窗口）"), ("1", "1 综合<受理>"), ("2", '2 "税务" & 社保'), (True, "是"), (3, "三")]


class _Form(FlaskForm):
    class Meta:
        csrf = False

    plain = SelectField("窗口", choices=CHOICES, validate_choice=False)
    styled = SelectField("类别", choices=[("a", "甲", {"class": "x"}), ("b", "乙")])
    grouped = SelectField("分组", choices={"上午": [("am", "上午")], "下午": [("pm", "下午")]})
    many = SelectMultipleField("多选", choices=[("a", "甲"), ("b", "乙")])


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # the grouped case passes a dict, as pages may
@pytest.mark.parametrize("name", ["plain", "styled", "grouped", "many"])
@pytest.mark.parametrize("data", [None, "", "2", "b", "pm", "True"])
def test_the_fast_select_writes_the_same_html_as_wtforms(app, name, data):
    with app.test_request_context("/"):
        field = getattr(_Form(formdata=None), name)
        field.data = [data] if name == "many" and data is not None else data
        wide = Select(multiple=True) if name == "many" else Select()
        fast = FastSelect(multiple=True) if name == "many" else FastSelect()
        assert fast(field) == wide(field)
        assert fast(field, class_="wide", required=True) == wide(field, class_="wide", required=True)
