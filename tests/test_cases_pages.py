"""Case pages: the desk panel and the reminder, the clerk's and leader's inbox, the month, its PDF and .xlsx."""
import io

from openpyxl import load_workbook

from portal.cases.models import CaseReminder
from portal.extensions import db
from portal.roles import Role
from tests.cases_fixtures import clerks, export, frozen, imported, row  # noqa: F401
from tests.conftest import sign_in, token
from tests.inbox_fixtures import waiting
from tests.pdftools import pdf_text

CASES = export(row("BJ100", "2026-12-07 09:00", 2),                     # overdue since Wednesday
               row("BJ101", "2026-12-10 09:00", 1),                     # due today
               row("BJ102", "2026-12-10 09:00", 2, clerk="李四", window="2"),  # due Monday: soon
               row("BJ103", "2026-12-01 09:00", 5, finished="2026-12-01 11:00"))  # on the spot


def test_the_desk_panel_shows_due_and_overdue_cases_and_the_reminder_reaches_the_clerk(
        app, client, hall, frozen, imported, clerks, make_user):
    imported(CASES)
    make_user("desk", Role.DUTY_LEADER, name="值班长甲", department="office")
    sign_in(client, "desk")
    panel = client.get("/cases/desk", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in panel and 'id="desk-cases-panel"' in panel
    assert "BJ100" in panel and "BJ101" in panel and "BJ102" not in panel and "超期 1 件" in panel
    assert "<html" in client.get("/cases/desk").get_data(as_text=True)
    with app.app_context():
        window_id = db.session.query(CaseReminder.window_id).first()
    assert window_id is None
    answer = client.post("/cases/remind/1", data={"csrf_token": token(client, "/cases/desk")},
                         headers={"HX-Request": "true"})
    assert answer.status_code == 200 and "已提醒 1号窗口" in answer.get_data(as_text=True)
    assert "值班长甲 已于" in answer.get_data(as_text=True)
    mine = waiting(app, clerks["zhang"])
    assert ("cases.reminded", "值班长提醒办件期限") in [(s, t) for s, t, _ in mine]
    assert {r for s, _t, r in mine if s == "cases.due"} == {"BJ100", "BJ101"}


def test_a_window_without_cases_near_their_deadline_is_not_reminded(app, client, hall, frozen, imported, clerks,
                                                                   make_user):
    imported(export(row("BJ103", "2026-12-01 09:00", 5, finished="2026-12-01 11:00")))
    make_user("desk", Role.DUTY_LEADER, department="office")
    sign_in(client, "desk")
    answer = client.post("/cases/remind/2", data={"csrf_token": token(client, "/cases/desk")},
                         headers={"HX-Request": "true"})
    assert answer.status_code == 409 and "无需提醒" in answer.get_data(as_text=True)


def test_the_window_leader_is_told_of_the_unit_s_cases_due_soon(app, hall, frozen, imported, clerks):
    imported(CASES)
    assert {r for s, _t, r in waiting(app, clerks["leader"]) if s == "cases.due"} == {"BJ100", "BJ101"}
    assert {r for s, _t, r in waiting(app, clerks["li"]) if s == "cases.due"} == {"BJ102"}


def test_the_case_list_is_scoped_and_filtered_by_state(app, client, hall, frozen, imported, clerks):
    imported(CASES)
    sign_in(client, "taxlead")
    page = client.get("/cases/").get_data(as_text=True)
    assert "BJ100" in page and "BJ102" not in page  # the police unit's case is not the tax leader's
    fragment = client.get("/cases/?state=overdue", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in fragment and 'id="case-list"' in fragment and "BJ101" not in fragment


def test_the_month_sheet_counts_each_overdue_case_once_in_the_pdf_and_the_workbook(
        app, client, hall, frozen, imported, clerks):
    imported(CASES)
    imported(CASES)
    sign_in(client, "caseadmin")
    page = client.get("/cases/month?month=2026-12").get_data(as_text=True)
    assert "本月超期办件" in page and page.count("BJ100") == 1
    text = pdf_text(client.get("/cases/month.pdf?month=2026-12").data)
    assert "超期办件情况的公示" in text and "BJ100" in text and "BJ101" not in text
    book = load_workbook(io.BytesIO(client.get("/cases/month.xlsx?month=2026-12").data))
    assert [r[0] for r in book["超期办件"].iter_rows(min_row=2, values_only=True)] == ["BJ100"]
    total = list(book["按窗口"].iter_rows(values_only=True))[-1]
    assert total[:6] == ("合计", 4, 1, 0, 1, 1)


def test_the_desk_case_panel_keeps_its_query_count_whatever_the_number_of_cases(
        app, client, hall, frozen, imported, clerks, make_user):
    from tests.querycount import count_queries
    app.config["RULEBOOK_CACHE_SECONDS"] = 60  # as served: the rulebook is read once per worker
    make_user("desk", Role.DUTY_LEADER, department="office")
    sign_in(client, "desk")
    imported(export(row("BJ100", "2026-12-07 09:00", 2)))
    client.post("/cases/remind/1", data={"csrf_token": token(client, "/cases/desk")})
    client.get("/cases/desk")
    with count_queries(app) as small:
        assert client.get("/cases/desk").status_code == 200
    imported(export(*[row(f"BJ{n}", f"2026-{11 + n % 2}-0{1 + n % 8} 09:00", n % 3, window=str(1 + n % 2),
                          clerk="张三" if n % 2 == 0 else "李四") for n in range(200, 240)]))
    client.post("/cases/remind/2", data={"csrf_token": token(client, "/cases/desk")})
    with count_queries(app) as large:
        assert client.get("/cases/desk").status_code == 200
    assert len(large) == len(small), large


def test_the_desk_grid_marks_a_window_with_an_overdue_case_and_its_poll_reads_nothing_more(
        app, client, hall, frozen, imported, clerks, make_user):
    from portal.org.models import Window
    from tests.querycount import count_queries
    app.config["RULEBOOK_CACHE_SECONDS"] = 60
    make_user("desk", Role.DUTY_LEADER, department="office")
    sign_in(client, "desk")
    with app.app_context():
        first, second = (w.id for w in db.session.query(Window).order_by(Window.number))
    client.get("/duty/live")
    with count_queries(app) as before:
        client.get("/duty/live")
    imported(CASES)
    with count_queries(app) as after:
        grid = client.get("/duty/live", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert len(after) == len(before), after
    assert f'id="wmark-{first}" hx-preserve="true"' in grid  # the grid's polls keep the mark the panel set
    panel = client.get("/cases/desk", headers={"HX-Request": "true"}).get_data(as_text=True)
    mark = '<b class="wmark-overdue" title="1 件办件超期">超期1</b>'
    assert f'<i id="wmark-{first}" hx-swap-oob="innerHTML">{mark}</i>' in panel
    assert f'<i id="wmark-{second}" hx-swap-oob="innerHTML"></i>' in panel  # a mark no longer due is cleared
