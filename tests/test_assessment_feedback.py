"""The half-yearly feedback to a department head and the year's report: pages, print, the units' chart."""
from portal.roles import Role
from tests.assessment_fixtures import frozen, staff  # noqa: F401
from tests.awards_fixtures import publish, unit_points, units  # noqa: F401
from tests.conftest import sign_in
from tests.pdftools import pdf_text

HX = {"HX-Request": "true"}


def _feedback(hall):
    return f"/assessment/feedback?year=2026&half=2&department_id={hall['tax']}"


def test_a_department_head_sees_the_units_and_staffs_months_side_by_side_with_a_chart(
        client, hall, units, staff, unit_points, publish, frozen):
    unit_points("tax", -4, "台面不规范", "patrol")
    publish()
    sign_in(client, "leader")  # 税务局's window leader
    page = client.get(f"/assessment/feedback?year=2026&half=2&department_id={hall['police']}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "税务局" in html and "公安局户政" not in html  # only their own unit
    assert 'id="feedback-units"' in html and "96" in html and "<svg" in html and "11月" in html
    assert 'id="feedback-people"' in html and "张三" in html and "李四" not in html
    fragment = client.get(_feedback(hall), headers=HX).get_data(as_text=True)
    assert "<html" not in fragment and 'id="assessment-feedback"' in fragment


def test_the_half_year_feedback_prints_with_the_chart(client, hall, units, staff, unit_points, publish, frozen):
    publish()
    sign_in(client, "director")
    pdf = client.get(f"/assessment/feedback.pdf?year=2026&half=2&department_id={hall['tax']}")
    assert pdf.mimetype == "application/pdf"
    text = "".join(pdf_text(pdf.data).split())
    assert "2026年下半年考核情况反馈" in text and "税务局：" in text
    assert "张三" in text and "7月8月9月10月11月12月" in text


def test_a_month_not_yet_published_is_not_in_the_feedback(client, hall, units, staff, frozen):
    sign_in(client, "director")
    html = client.get(_feedback(hall)).get_data(as_text=True)
    assert "没有已公示的月份" in html


def test_another_departments_leader_cannot_open_a_units_feedback(client, hall, make_user, staff, frozen):
    make_user("polead", Role.WINDOW_LEADER, department="police")
    sign_in(client, "polead")
    html = client.get(_feedback(hall)).get_data(as_text=True)
    assert "公安局户政" in html and "税务局" not in html


def test_the_years_report_shows_every_unit_and_prints(client, hall, units, staff, unit_points, publish, frozen):
    unit_points("medical", -8, "窗口空岗", "patrol")
    publish()
    sign_in(client, "supervisor")
    html = client.get("/assessment/report?year=2026").get_data(as_text=True)
    assert all(name in html for name in ("税务局", "公安局户政", "社保局", "医保局")) and html.count("<svg") == 4
    pdf = client.get("/assessment/report.pdf?year=2026")
    text = "".join(pdf_text(pdf.data).split())
    assert "2026年度窗口单位及工作人员考核情况报告" in text and "医保局" in text and "92" in text
