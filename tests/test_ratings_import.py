"""Online ratings (一事一评) imported from the platform's export: previewed, saved once, bad ones open cases."""
import io
import re

from sqlalchemy import func, select

from portal.extensions import db
from portal.ratings.models import Rating, RatingCase
from tests.ratings_fixtures import csrf_of, frozen, people, signed_in  # noqa: F401 - fixtures

EXPORT = ("办件编号,事项编码,事项名称,部门,评价渠道,评价等级,评价标签,评价内容,申请人,联系电话,被评价人,评价时间\n"
          "BJ001,11510000,个体工商户登记,税务局,PC端,非常满意,,,,,张小明,2026-11-20 10:00:00\n"
          "BJ002,11510000,个体工商户登记,税务局,移动端,不满意,办理时间长,等了很久,刘德华,13812345678,张小明,"
          "2026/11/21 09:30\n"
          "BJ002,11510000,个体工商户登记,税务局,PC端,满意,,,,,张小明,2026-11-21 11:00:00\n"
          "BJ003,11510000,其他,不存在的局,PC端,满意,,,,,,2026-11-22 10:00:00\n"
          "BJ004,11510000,其他,税务局,PC端,一般般,,,,,,2026-11-22 10:00:00\n").encode("gbk")


def _upload(client, data=EXPORT):
    page = client.get("/ratings/import").get_data(as_text=True)
    answer = client.post("/ratings/import", data={"csrf_token": csrf_of(page), "profile": "省好差评系统导出",
                                                   "file": (io.BytesIO(data), "export.csv")},
                         content_type="multipart/form-data")
    assert answer.status_code == 303, answer.get_data(as_text=True)[:300]
    return answer.headers["Location"].rsplit("/", 1)[-1]


def _confirm(client, token):
    page = client.get(f"/ratings/import/{token}").get_data(as_text=True)
    return page, client.post(f"/ratings/import/{token}/confirm", data={"csrf_token": csrf_of(page)})


def test_an_export_is_previewed_then_saved_once_per_case_number_and_channel(app, frozen, people):
    admin = signed_in(app, "center")
    page, saved = _confirm(admin, _upload(admin))
    assert "确认导入 3 条" in page and "部门不存在" in page and "无法识别" in page
    assert saved.status_code == 303
    with app.app_context():
        rows = db.session.execute(select(Rating).order_by(Rating.id)).scalars().all()
        assert [(r.case_number, r.level, r.channel) for r in rows] == [("BJ001", 1, "online"), ("BJ002", 4, "online"),
                                                                        ("BJ002", 2, "online")]
        assert rows[1].staff.login == "clerk" and rows[1].rater_phone == "13812345678"
        case = db.session.execute(select(RatingCase)).scalar_one()
        assert case.rating_id == rows[1].id and case.state == "verify"
    again, _ = _confirm(admin, _upload(admin))
    assert "确认导入 0 条" in again and re.search(r"已导入：<strong>3</strong> 行", again)
    with app.app_context():
        assert db.session.execute(select(func.count(Rating.id))).scalar_one() == 3


def test_online_ratings_count_in_the_months_figures(app, frozen, people):
    from datetime import date

    from portal.ratings import figures
    admin = signed_in(app, "center")
    _confirm(admin, _upload(admin))
    with app.app_context():
        total = figures.month(1, date(2026, 11, 1), date(2026, 12, 1)).total
    assert (total.visits, total.good, total.bad, total.named) == (3, 2, 1, 1)
