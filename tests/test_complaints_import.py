"""12345 work orders imported through the shared import mechanism: preview, confirm, idempotent, clock start."""
import io
from datetime import datetime

from sqlalchemy import func, select

from portal import clock
from portal.complaints import deadlines
from portal.complaints.models import Complaint, HotlineOrder
from portal.extensions import db
from portal.imports.models import ImportPreview
from portal.roles import Role
from tests.conftest import csrf_from, token
from tests.imports_fixtures import text_file, xlsx

HEADER = ["工单编号", "受理时间", "诉求类型", "来电人", "联系电话", "承办单位", "诉求内容"]
ROWS = [["GD20261130001", "2026-11-30 16:05", "投诉", "张三", "13700001111", "税务局", "办税窗口排队太久"],
        ["GD20261130002", "2026/11/30 17:20:00", "咨询", "赵六", "13700002222", "", "咨询社保转移流程"],
        ["GD20261130003", "不详", "投诉", "钱七", "", "", "时间读不出"]]


def _upload(client, data: bytes, name: str):
    csrf = token(client, "/complaints/import")
    return client.post("/complaints/import", data={"csrf_token": csrf, "file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data", follow_redirects=True)


def _confirm(client, app):
    with app.app_context():
        preview_token = db.session.execute(select(ImportPreview.token)).scalar_one()
    page = client.get(f"/complaints/import/{preview_token}").get_data(as_text=True)
    return client.post(f"/complaints/import/{preview_token}/confirm", data={"csrf_token": csrf_from(page)},
                       follow_redirects=True)


def test_work_orders_become_cases_with_the_platforms_received_time_as_clock_start(app, client, hall, login_as):
    clock.freeze(datetime(2026, 12, 1, 9, 0))
    login_as(Role.DUTY_LEADER, "zhiban", department="office")
    html = _upload(client, xlsx([HEADER, *ROWS]), "12345.xlsx").get_data(as_text=True)
    assert "导入预览" in html and "读不出受理时间" in html
    assert "已导入 2 张工单" in _confirm(client, app).get_data(as_text=True)
    with app.app_context():
        cases = {c.work_order: c for c in db.session.execute(select(Complaint)).scalars()}
        first = cases["GD20261130001"]
        assert first.channel == "hotline" and first.kind == "complaint" and first.department_id == hall["tax"]
        assert clock.local(first.received_at) == datetime(2026, 11, 30, 16, 5, tzinfo=clock.hall_tz())
        assert deadlines.of(cases["GD20261130002"]).reply_by == deadlines.close_of(datetime(2026, 12, 3).date(), 0)


def test_importing_the_same_work_orders_twice_adds_nothing(app, client, hall, login_as):
    clock.freeze(datetime(2026, 12, 1, 9, 0))
    login_as(Role.DUTY_LEADER, "zhiban", department="office")
    _upload(client, text_file([HEADER, *ROWS[:2]]), "a.csv")
    _confirm(client, app)
    html = _upload(client, text_file([HEADER, *ROWS[:2]]), "a.csv").get_data(as_text=True)
    assert "此前已导入" in html
    assert _confirm(client, app).status_code == 409
    with app.app_context():
        assert db.session.execute(select(func.count(Complaint.id))).scalar_one() == 2
        assert db.session.execute(select(func.count(HotlineOrder.id))).scalar_one() == 2


def _reverse(client, app, reason="导入了错误的一天"):
    from portal.imports.models import ImportBatch
    with app.app_context():
        batch_id = db.session.execute(select(ImportBatch.id).order_by(ImportBatch.id.desc())).scalars().first()
    page = client.get(f"/complaints/imports/{batch_id}").get_data(as_text=True)
    return batch_id, client.post(f"/complaints/imports/{batch_id}/reverse",
                                 data={"csrf_token": csrf_from(page), "reason": reason}, follow_redirects=True)


def test_reversing_a_12345_import_removes_its_work_orders_and_withdraws_the_cases_they_opened(app, client, hall,
                                                                                               login_as):
    from portal.audit.models import AuditEvent
    from portal.complaints import figures
    from portal.complaints.models import ComplaintStep
    from portal.imports.models import ImportReversal
    clock.freeze(datetime(2026, 12, 1, 9, 0))
    login_as(Role.DUTY_LEADER, "zhiban", department="office")
    _upload(client, text_file([HEADER, *ROWS[:2]]), "a.csv")
    record = _confirm(client, app).get_data(as_text=True)
    assert "生成的投诉件" in record and "GD20261130001" in record
    batch_id, done = _reverse(client, app)
    html = done.get_data(as_text=True)
    assert "已撤销这次导入，移除 2 张工单" in html and "撤销的投诉件" in html
    with app.app_context():
        assert db.session.execute(select(func.count(HotlineOrder.id))).scalar_one() == 0
        cases = db.session.execute(select(Complaint)).scalars().all()
        assert len(cases) == 2 and {c.state for c in cases} == {"withdrawn"}, "the cases stay on record"
        steps = db.session.execute(select(ComplaintStep).filter_by(step="withdrawn")).scalars().all()
        assert len(steps) == 2 and {s.note for s in steps} == {"导入了错误的一天"}
        assert db.session.execute(select(ImportReversal)).scalar_one().removed == 2
        assert db.session.execute(select(AuditEvent).filter_by(event="import.reversed",
                                                               object_id=str(batch_id))).first()
        assert figures.month(hall["hall"], 2026, 11)[-1].received == 0, "withdrawn cases leave the figures"
    assert "新增 2" in _upload(client, text_file([HEADER, *ROWS[:2]]), "a.csv").get_data(as_text=True)


def test_a_12345_import_whose_case_was_already_sent_is_not_reversed(app, client, hall, login_as):
    from portal.auth.models import User
    from portal.complaints import service
    clock.freeze(datetime(2026, 12, 1, 9, 0))
    login_as(Role.DUTY_LEADER, "zhiban", department="office")
    _upload(client, text_file([HEADER, *ROWS[:2]]), "a.csv")
    _confirm(client, app)
    with app.app_context():
        case = db.session.execute(select(Complaint).filter_by(work_order="GD20261130001")).scalar_one()
        service.send(db.session.execute(select(User).filter_by(login="zhiban")).scalar_one(), case, hall["tax"])
        db.session.commit()
        number = case.number
    _batch_id, refused = _reverse(client, app)
    assert refused.status_code == 409 and f"投诉件 {number} 已开始办理" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(select(func.count(HotlineOrder.id))).scalar_one() == 2
        assert {c.state for c in db.session.execute(select(Complaint)).scalars()} == {"sent", "received"}


def test_the_12345_import_command_needs_the_person_who_becomes_first_owner(app, hall, login_as, tmp_path):
    clock.freeze(datetime(2026, 12, 1, 9, 0))
    login_as(Role.DUTY_LEADER, "zhiban", department="office")
    path = tmp_path / "12345.csv"
    path.write_bytes(text_file([HEADER, *ROWS[:2]]))
    runner = app.test_cli_runner()
    nobody = runner.invoke(args=["complaints-import", str(path), "--profile", "12345 热线工单导出"])
    assert nobody.exit_code != 0 and "请指定导入人" in nobody.output
    done = runner.invoke(args=["complaints-import", str(path), "--profile", "12345 热线工单导出", "--by", "zhiban"])
    assert done.exit_code == 0 and "已导入 2 张工单" in done.output, done.output
    with app.app_context():
        assert db.session.execute(select(func.count(Complaint.id))).scalar_one() == 2


def test_a_county_person_importing_for_a_station_opens_the_stations_cases(app, hall, make_user, tmp_path):
    """--hall a station, --by a county person: the cases are the station's, its units found by name."""
    from portal.org.models import Department, Hall
    clock.freeze(datetime(2026, 12, 1, 9, 0))
    with app.app_context():
        station = Hall(name="东街便民服务站", level="township", parent_id=hall["hall"])
        db.session.add(station)
        db.session.flush()
        db.session.add(Department(hall_id=station.id, name="税务局", kind="window_unit"))
        db.session.commit()
        station_id = station.id
    make_user("xianguan", Role.COUNTY_ADMIN)
    make_user("zhanwai", Role.DUTY_LEADER, department="office")
    path = tmp_path / "12345.csv"
    path.write_bytes(text_file([HEADER, ROWS[0]]))
    runner = app.test_cli_runner()
    args = ["complaints-import", str(path), "--profile", "12345 热线工单导出", "--hall", str(station_id)]
    done = runner.invoke(args=args + ["--by", "xianguan"])
    assert done.exit_code == 0 and "已导入 1 张工单" in done.output, done.output
    with app.app_context():
        case = db.session.execute(select(Complaint)).scalar_one()
        unit = db.session.get(Department, case.department_id)
        assert case.hall_id == station_id and (unit.hall_id, unit.name) == (station_id, "税务局")
    refused = runner.invoke(args=args + ["--by", "zhanwai"])  # the center's duty leader: not the station's
    assert refused.exit_code != 0 and "不能在编号为" in refused.output
