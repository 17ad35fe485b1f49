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


def _reverse(client, token, reason="导错了月份的导出"):
    page = client.get("/ratings/import").get_data(as_text=True)
    batch_id = int(re.search(r"/ratings/imports/(\d+)", page).group(1))
    return batch_id, client.post(f"/ratings/imports/{batch_id}/reverse",
                                 data={"csrf_token": csrf_of(page), "reason": reason}, follow_redirects=True)


def test_a_hall_saves_its_own_profile_for_another_platforms_export_and_imports_with_it(app, frozen, people):
    admin = signed_in(app, "center")
    page = admin.get("/ratings/profiles").get_data(as_text=True)
    assert "省好差评系统导出（预设）" in page
    saved = admin.post("/ratings/profiles", follow_redirects=True, data={
        "csrf_token": csrf_of(page), "name": "市平台导出", "encoding": "gbk", "delimiter": "auto", "skip_rows": "1",
        "header": "y", "col_case_number": "业务编号", "col_department": "部门", "col_channel": "渠道",
        "col_level": "等级", "col_rated_at": "时间", "col_staff": "经办人"})
    assert "已保存导入方案“市平台导出”" in saved.get_data(as_text=True)
    data = ("市平台好差评导出（2026年11月）\n业务编号,部门,渠道,等级,时间,经办人\n"
            "SJ001,税务局,小程序,满意,2026-11-20 10:00:00,张小明\n").encode("gbk")
    page = admin.get("/ratings/import").get_data(as_text=True)
    assert 'value="市平台导出"' in page
    answer = admin.post("/ratings/import", content_type="multipart/form-data", data={
        "csrf_token": csrf_of(page), "profile": "市平台导出", "file": (io.BytesIO(data), "市平台.csv")})
    _page, confirmed = _confirm(admin, answer.headers["Location"].rsplit("/", 1)[-1])
    assert confirmed.status_code == 303
    with app.app_context():
        rating = db.session.execute(select(Rating)).scalar_one()
        assert (rating.case_number, rating.staff.login, rating.key) == ("SJ001", "clerk", "小程序:SJ001")


def test_reversing_a_ratings_import_removes_its_ratings_and_the_untouched_cases_they_opened(app, frozen, people):
    from portal.audit.models import AuditEvent
    from portal.imports.models import ImportReversal
    admin = signed_in(app, "center")
    _confirm(admin, _upload(admin))
    batch_id, done = _reverse(admin, None)
    assert "已撤销这次导入，移除 3 条网上评价" in done.get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(select(func.count(Rating.id))).scalar_one() == 0
        assert db.session.execute(select(func.count(RatingCase.id))).scalar_one() == 0
        assert db.session.execute(select(ImportReversal)).scalar_one().removed == 3
        assert db.session.execute(select(AuditEvent).filter_by(event="import.reversed",
                                                               object_id=str(batch_id))).first()
    again, _ = _confirm(admin, _upload(admin))
    assert "确认导入 3 条" in again, "after a reversal the same export can come in again"


def test_a_ratings_import_whose_bad_review_was_verified_is_not_reversed(app, frozen, people):
    from portal.auth.models import User
    from portal.ratings import cases
    admin = signed_in(app, "center")
    _confirm(admin, _upload(admin))
    with app.app_context():
        case = db.session.execute(select(RatingCase)).scalar_one()
        cases.verify(db.session.get(User, people["admin"]), case, "属实")
        db.session.commit()
    _batch_id, refused = _reverse(admin, None)
    assert refused.status_code == 409 and "BJ002 的差评已开始整改" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(select(func.count(Rating.id))).scalar_one() == 3


def test_the_ratings_import_command_previews_then_saves_with_the_shared_steps(app, frozen, people, tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(EXPORT)
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["ratings-import", str(path), "--profile", "省好差评系统导出", "--dry-run"])
    assert "部门不存在：1 行" in dry.output and "试运行：将保存 3 条" in dry.output, dry.output
    done = runner.invoke(args=["ratings-import", str(path), "--profile", "省好差评系统导出"])
    assert done.exit_code == 0 and "已导入 3 条" in done.output, done.output
    with app.app_context():
        assert db.session.execute(select(func.count(RatingCase.id))).scalar_one() == 1, "the bad review's case"
