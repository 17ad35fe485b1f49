"""Cases in from the approval system's export: preview classes, idempotent on 办件编号, updates, reversal."""
import io

from sqlalchemy import func, select

from portal.auth.models import User
from portal.cases import service
from portal.cases.models import CaseReport
from portal.extensions import db
from tests.cases_fixtures import clerks, export, frozen, imported, row  # noqa: F401

FIRST = export(row("BJ001", "2026-12-07 09:00", 5), row("BJ002", "2026-12-07 10:00", 1, clerk="李四", window="2"))


def _classes(rows):
    return {r["line"]: (r["cls"], r["reason"]) for r in rows}


def test_reimporting_the_same_export_saves_nothing_new(app, hall, frozen, imported):
    imported(FIRST)
    rows, batch = imported(FIRST)
    assert batch is None and {r["cls"] for r in rows} == {"duplicate"}
    with app.app_context():
        assert db.session.execute(select(func.count(CaseReport.id))).scalar_one() == 2


def test_a_later_export_updates_the_case_instead_of_duplicating_it(app, hall, frozen, imported):
    imported(FIRST)
    later = export(row("BJ001", "2026-12-07 09:00", 5, finished="2026-12-09 15:00"),
                   row("BJ002", "2026-12-07 10:00", 1, clerk="李四", window="2"))
    rows, _ = imported(later)
    assert [r["cls"] for r in rows] == ["updated", "duplicate"]
    with app.app_context():
        found = service.cases(hall["hall"])
        assert [c.number for c in found] == ["BJ001", "BJ002"]
        assert found[0].finished_at is not None and found[0].deadline.state == "done"


def test_unknown_window_person_and_unreadable_rows_are_shown_with_line_and_reason(app, hall, frozen, imported):
    data = export(row("BJ010", "2026-12-07 09:00", 5, window="99"),
                  row("BJ011", "2026-12-07 09:00", 5, clerk="王五"),
                  row("BJ012", "2026-13-07 09:00", 5),
                  row("BJ013", "2026-12-07 09:00", "三"),
                  row("BJ014", "2026-12-07 09:00", 2), row("BJ014", "2026-12-07 09:00", 3))
    rows, batch = imported(data)
    got = _classes(rows)
    assert got[2][0] == "unknown_window" and "99" in got[2][1]
    assert got[3][0] == "unknown_person" and "王五" in got[3][1]
    assert got[4] == ("unreadable", "受理时间“2026-13-07 09:00”这一天不存在")
    assert got[5][0] == "unreadable" and "不是整数" in got[5][1]
    assert got[7][0] == "repeated"
    with app.app_context():
        assert sorted(c.number for c in service.cases(hall["hall"])) == ["BJ011", "BJ014"]


def test_reversing_an_update_brings_the_case_back_to_its_earlier_state(app, hall, frozen, imported, clerks):
    imported(FIRST)
    _, update = imported(export(row("BJ001", "2026-12-07 09:00", 5, finished="2026-12-09 15:00")))
    with app.app_context():
        batch = service.batch(hall["hall"], update)
        service.reverse(batch, db.session.get(User, clerks["admin"]), "导出有误")
        case = service.by_number(hall["hall"], "BJ001")
        assert case.finished_at is None and case.deadline.state != "done"


def test_the_import_command_dry_run_saves_nothing(app, hall, frozen, clerks, tmp_path):
    path = tmp_path / "cases.csv"
    path.write_bytes(FIRST)
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["cases-import", str(path), "--profile", "审批系统办件导出", "--dry-run"])
    assert "试运行：将保存 2 条" in dry.output, dry.output
    with app.app_context():
        assert db.session.execute(select(func.count(CaseReport.id))).scalar_one() == 0
    done = runner.invoke(args=["cases-import", str(path), "--profile", "审批系统办件导出"])
    assert "已导入 2 条" in done.output, done.output
    again = runner.invoke(args=["cases-import", str(path), "--profile", "审批系统办件导出"])
    assert again.exit_code != 0 and "没有可保存的新记录" in again.output


def test_an_excel_export_with_a_correction_pause_is_read_and_the_pause_shown(app, client, hall, frozen, clerks):
    from tests.cases_fixtures import HEADER
    from tests.conftest import sign_in, token
    from tests.imports_fixtures import xlsx
    data = xlsx([HEADER, ["BJ500", "食品经营许可", "330100-090", "2026-12-07 09:00", 20, 3, None, "2026-12-08",
                          "2026-12-09", "1号窗口", "张三"]])
    sign_in(client, "caseadmin")
    answer = client.post("/cases/import", data={"csrf_token": token(client, "/cases/import"),
                                                "profile": "审批系统办件导出", "file": (io.BytesIO(data), "导出.xlsx")},
                         content_type="multipart/form-data")
    assert answer.status_code == 303
    preview = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "确认导入 1 条" in preview
    confirm = answer.headers["Location"] + "/confirm"
    assert client.post(confirm, data={"csrf_token": token(client, answer.headers["Location"])}).status_code == 303
    page = client.get("/cases/case/BJ500").get_data(as_text=True)
    assert "等待申请人补正，不计时" in page and "补正暂停 2 个工作日" in page
    assert "2026年12月14日" in page  # due Thursday the 10th, plus 2 paused days: Fri 11, Mon 14


def test_a_stations_cases_count_their_deadline_on_the_stations_calendar(app, hall, frozen, clerks, tmp_path):
    """Imported from the command line (nobody signed in) and read for the hall: the station's own closure counts."""
    from datetime import date

    from portal import clock
    from portal.rulebook.models import HallCalendarDay
    from tests.conftest import make_station
    path = tmp_path / "cases.csv"
    path.write_bytes(export(row("BJ700", "2026-12-01 09:00", 5)))  # Tuesday; 5 working days: Tuesday the 8th
    make_station(app, hall["hall"])
    with app.app_context():
        db.session.add(HallCalendarDay(hall_id=hall["hall"], day=date(2026, 12, 3), kind="closure", name="停电闭厅"))
        db.session.commit()
    done = app.test_cli_runner().invoke(args=["cases-import", str(path), "--profile", "审批系统办件导出",
                                              "--hall", str(hall["hall"])])
    assert "已导入 1 条" in done.output, done.output
    with app.app_context():
        assert clock.today() == date(2026, 12, 11)
        assert service.by_number(hall["hall"], "BJ700").deadline.due == date(2026, 12, 9)  # a day later
