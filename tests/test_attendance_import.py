"""Punch import (考勤导入): every format halls have, the preview row by row, confirmation, re-import, reversal."""
from sqlalchemy import func, select

from portal.attendance import formats
from portal.attendance.models import Punch
from portal.extensions import db
from portal.imports.models import ImportBatch, ImportPreview, ImportReversal
from portal.roles import Role
from tests.attendance_fixtures import ZKTECO_DAT, clerks, frozen, upload  # noqa: F401
from tests.conftest import csrf_from
from tests.imports_fixtures import text_file, xlsx


def _punches(app):
    with app.app_context():
        return db.session.execute(select(func.count(Punch.id))).scalar_one()


def _preview(app):
    with app.app_context():
        return db.session.execute(select(ImportPreview)).scalar_one()


def _confirm(client, app):
    token = _preview(app).token
    page = client.get(f"/attendance/import/{token}").get_data(as_text=True)
    return client.post(f"/attendance/import/{token}/confirm", data={"csrf_token": csrf_from(page)},
                       follow_redirects=True)


def test_zkteco_attlog_preview_shows_every_line_with_its_class_and_chinese_reason(app, login_as, clerks, frozen,
                                                                                    upload):
    login_as(Role.ADMIN)
    html = upload(ZKTECO_DAT, "1_attlog.dat", formats.ZKTECO).get_data(as_text=True)
    assert "导入预览" in html and "尚未保存任何记录" in html
    rows = {r["line"]: (r["cls"], r["reason"]) for r in _preview(app).rows}
    assert rows[1] == ("new", "") and rows[2] == ("new", "") and rows[3] == ("new", "")
    assert rows[4][0] == "unknown_id" and "考勤号 9999 尚未对应到人员" in rows[4][1]
    assert rows[5][0] == "off_day" and "2026-11-07 不是工作日" in rows[5][1]
    assert rows[6] == ("unreadable", "日期“2026-11-0x 09:00”不存在")
    assert rows[7] == ("duplicate", "与本文件第 1 行重复")
    assert "考勤号 9999 尚未对应到人员" in html and "与本文件第 1 行重复" in html
    assert _punches(app) == 0, "a preview saves nothing"


def test_confirming_saves_exactly_what_the_preview_showed_unknown_ids_and_rest_days_included(app, client, login_as,
                                                                                             clerks, frozen, upload):
    login_as(Role.SUPERVISOR, "dc")
    upload(ZKTECO_DAT, "1_attlog.dat", formats.ZKTECO)
    html = _confirm(client, app).get_data(as_text=True)
    assert "已导入 5 条打卡记录" in html and "1 次打卡的考勤号尚未对应到人员" in html
    with app.app_context():
        batch = db.session.execute(select(ImportBatch)).scalar_one()
        assert batch.saved == 5 and batch.counts["unreadable"] == 1 and batch.counts["duplicate"] == 1
        assert batch.file_name == "1_attlog.dat" and len(batch.sha256) == 64 and batch.imported_by.login == "dc"
        pins = sorted(db.session.execute(select(Punch.device_user_id)).scalars())
        assert pins == ["1001", "1001", "1001", "1002", "9999"]
        assert db.session.execute(select(ImportPreview)).first() is None


def test_importing_the_same_file_twice_adds_nothing(app, client, login_as, clerks, frozen, upload):
    login_as(Role.ADMIN)
    upload(ZKTECO_DAT, "1_attlog.dat", formats.ZKTECO)
    _confirm(client, app)
    html = upload(ZKTECO_DAT, "copy.dat", formats.ZKTECO).get_data(as_text=True)
    assert "这个文件已于" in html and "确认导入 0 条" in html
    assert _preview(app).counts.get("duplicate") == 6
    response = _confirm(client, app)
    assert response.status_code == 409 and "没有可保存的新记录" in response.get_data(as_text=True)
    assert _punches(app) == 5


def test_a_confirmed_preview_cannot_be_confirmed_again(app, client, login_as, clerks, frozen, upload):
    login_as(Role.ADMIN)
    upload(ZKTECO_DAT, "1_attlog.dat", formats.ZKTECO)
    token = _preview(app).token
    csrf = csrf_from(client.get(f"/attendance/import/{token}").get_data(as_text=True))
    assert client.post(f"/attendance/import/{token}/confirm", data={"csrf_token": csrf}).status_code == 303
    again = client.post(f"/attendance/import/{token}/confirm", data={"csrf_token": csrf})
    assert again.status_code == 409 and "预览已失效或已经导入" in again.get_data(as_text=True)
    assert _punches(app) == 5


def test_checkinout_export_in_gbk_is_read(app, client, login_as, clerks, frozen, upload):
    login_as(Role.ADMIN)
    data = text_file([["USERID", "CHECKTIME", "CHECKTYPE", "VERIFYCODE", "SENSORID", "WorkCode", "sn"],
                      ["1", "2026/11/3 7:59:30", "I", "1", "大厅一号机", "0", "A6F1"],
                      ["2", "2026/11/3 17:31:02", "O", "1", "大厅一号机", "0", "A6F1"]], encoding="gbk")
    upload(data, "CHECKINOUT.csv", formats.CHECKINOUT)
    _confirm(client, app)
    with app.app_context():
        punches = db.session.execute(select(Punch).order_by(Punch.punched_at)).scalars().all()
        assert [(p.device_user_id, p.direction, p.device) for p in punches] == [
            ("1", "in", "大厅一号机"), ("2", "out", "大厅一号机")]
        assert punches[0].punched_at.isoformat() == "2026-11-03T07:59:30"


def test_dingtalk_raw_records_are_read_below_their_title_row(app, client, login_as, clerks, frozen, upload):
    login_as(Role.ADMIN)
    data = xlsx([["原始记录 统计日期：2026-11-01 至 2026-11-30"],
                 ["姓名", "部门", "工号", "职位", "UserId", "考勤日期", "考勤时间", "打卡时间", "打卡结果", "打卡地址",
                  "打卡备注", "异常打卡原因", "打卡设备"],
                 ["张三", "税务局", "D01", "科员", "u1", "26-11-04 星期三", "08:00", "08:03", "正常", "大厅", "", "",
                  "手机"],
                 ["李四", "税务局", "D02", "科员", "u2", "26-11-04 星期三", "08:00", "", "缺卡", "", "", "", ""]])
    upload(data, "原始记录.xlsx", formats.DINGTALK_RAW)
    shown = _preview(app)
    assert shown.counts["skipped"] == 2 and shown.counts["new"] == 1
    assert [r["cls"] for r in shown.rows] == ["new", "unreadable"]
    assert shown.rows[1]["line"] == 4 and shown.rows[1]["reason"] == "没有打卡时间"
    assert shown.rows[0]["record"]["at"] == "2026-11-04T08:03:00"


def test_dingtalk_daily_statistics_skip_two_title_rows_and_give_a_punch_per_time(app, client, login_as, clerks,
                                                                                 frozen, upload):
    login_as(Role.ADMIN)
    header = ["姓名", "考勤组", "部门", "工号", "日期", "班次", "上班1打卡时间", "上班1打卡结果", "下班1打卡时间",
              "下班1打卡结果", "上班2打卡时间", "上班2打卡结果", "下班2打卡时间", "下班2打卡结果", "迟到次数"]
    data = xlsx([["统计日期：2026-11-01 至 2026-11-30"], ["报表生成时间：2026-12-01 08:00"], header,
                 ["张三", "大厅", "税务局", "D01", "26-11-05 星期四", "正常班", "08:40", "迟到", "12:00", "正常",
                  "14:29", "正常", "17:31", "正常", 1],
                 ["李四", "大厅", "税务局", "D02", "26-11-05 星期四", "正常班", "未打卡", "缺卡", "", "缺卡",
                  "", "缺卡", "", "缺卡", 0]])
    upload(data, "每日统计.xlsx", formats.DINGTALK_DAILY)
    shown = _preview(app)
    assert shown.counts["skipped"] == 3 and shown.counts["new"] == 4 and shown.counts["empty"] == 1
    assert [r["record"]["direction"] for r in shown.rows if r["cls"] == "new"] == ["in", "out", "in", "out"]
    empty = next(r for r in shown.rows if r["cls"] == "empty")
    assert empty["line"] == 5


def test_a_generic_file_is_read_with_a_profile_the_hall_saved(app, client, login_as, clerks, frozen, upload):
    login_as(Role.ADMIN)
    page = client.get("/attendance/profiles").get_data(as_text=True)
    saved = client.post("/attendance/profiles", data={
        "csrf_token": csrf_from(page), "name": "门禁导出", "source": "generic", "encoding": "auto",
        "delimiter": "auto", "skip_rows": "0", "header": "y", "col_pin": "员工编号", "col_datetime": "刷卡时间"},
        follow_redirects=True)
    assert "已保存导入方案“门禁导出”" in saved.get_data(as_text=True)
    data = text_file([["员工编号", "刷卡时间"], ["A1", "2026-11-06 08:05"], ["A2", "昨天"]], encoding="utf-8-sig")
    upload(data, "门禁.csv", "门禁导出")
    rows = _preview(app).rows
    assert rows[0]["cls"] == "new" and rows[1]["cls"] == "unreadable"
    assert rows[1]["reason"] == "读不出打卡时间“昨天”"


def test_a_mapping_that_does_not_fit_the_file_is_refused_with_the_header_it_found(app, login_as, clerks, frozen,
                                                                                  upload):
    login_as(Role.ADMIN)
    response = upload(text_file([["编号", "时间"], ["1", "2026-11-02 08:00"]]), "x.csv", formats.GENERIC)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "文件的表头里没有“工号”列" in html and "编号、时间" in html
    broken = upload(b"PK\x03\x04broken", "x.xlsx", formats.GENERIC)
    assert broken.status_code == 422 and "无法读取这个 Excel 文件" in broken.get_data(as_text=True)


def test_reversing_an_import_removes_its_punches_and_keeps_the_record(app, client, login_as, clerks, frozen, upload):
    login_as(Role.ADMIN)
    upload(ZKTECO_DAT, "1_attlog.dat", formats.ZKTECO)
    page = _confirm(client, app).get_data(as_text=True)
    with app.app_context():
        batch_id = db.session.execute(select(ImportBatch.id)).scalar_one()
    url = f"/attendance/imports/{batch_id}/reverse"
    refused = client.post(url, data={"csrf_token": csrf_from(page), "reason": ""})
    assert refused.status_code == 422 and _punches(app) == 5
    done = client.post(url, data={"csrf_token": csrf_from(page), "reason": "导错了设备的文件"}, follow_redirects=True)
    assert "移除 5 条打卡记录" in done.get_data(as_text=True) and _punches(app) == 0
    again = client.post(url, data={"csrf_token": csrf_from(page), "reason": "再撤"})
    assert again.status_code == 409
    with app.app_context():
        reversal = db.session.execute(select(ImportReversal)).scalar_one()
        assert reversal.removed == 5 and reversal.reason == "导错了设备的文件"
        assert len(db.session.get(ImportBatch, batch_id).rows) == 7, "what the import brought in stays readable"
    upload(ZKTECO_DAT, "1_attlog.dat", formats.ZKTECO)
    assert _preview(app).counts["new"] == 3, "after a reversal the same file can come in again"


def test_staff_may_not_import_punches(client, login_as, frozen):
    login_as(Role.STAFF)
    assert client.get("/attendance/import").status_code == 403


def test_cli_dry_run_classifies_the_file_and_saves_nothing(app, clerks, frozen, tmp_path):
    path = tmp_path / "1_attlog.dat"
    path.write_bytes(ZKTECO_DAT)
    result = app.test_cli_runner().invoke(args=["attendance-import", str(path), "--profile", formats.ZKTECO,
                                                "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "新增：3 行" in result.output and "第 6 行：日期“2026-11-0x 09:00”不存在" in result.output
    assert "试运行：将保存 5 条，未保存任何记录" in result.output
    assert _punches(app) == 0
    with app.app_context():
        assert db.session.execute(select(ImportPreview)).first() is None


def test_cli_import_saves_an_import_record_and_refuses_an_unknown_profile(app, clerks, frozen, tmp_path):
    path = tmp_path / "1_attlog.dat"
    path.write_bytes(ZKTECO_DAT)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["attendance-import", str(path), "--profile", formats.ZKTECO])
    assert result.exit_code == 0 and "已导入 5 条" in result.output
    assert _punches(app) == 5
    wrong = runner.invoke(args=["attendance-import", str(path), "--profile", "没有这个"])
    assert wrong.exit_code != 0 and "没有名为“没有这个”的导入方案" in wrong.output


def test_an_import_of_another_hall_is_not_found_and_the_attempt_audited(app, client, login_as, frozen):
    from portal import clock
    from portal.audit.models import AuditEvent
    from portal.org.models import Hall
    login_as(Role.ADMIN)
    with app.app_context():
        other = Hall(name="别的大厅", level="county")
        db.session.add(other)
        db.session.flush()
        batch = ImportBatch(hall_id=other.id, kind="punch", profile_name="x", file_name="x.dat", sha256="0" * 64,
                            counts={}, rows=[], imported_at=clock.now())
        db.session.add(batch)
        db.session.commit()
        batch_id = batch.id
    assert client.get(f"/attendance/imports/{batch_id}").status_code == 404
    with app.app_context():
        assert db.session.execute(select(AuditEvent).filter_by(event="access.denied", object_id=str(batch_id))).first()
