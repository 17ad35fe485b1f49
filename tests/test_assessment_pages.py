"""The assessment's pages: who sees which sheet, page or fragment, and the month's actions through the forms."""
from portal.assessment.models import AssessmentLine, AssessmentObjection
from portal.extensions import db
from portal.scores.models import ScoreEvent
from tests.assessment_fixtures import frozen, ledger, staff  # noqa: F401
from tests.conftest import csrf_from, sign_in

NOV = "2026-11"


def _post(client, url, page, **data):
    return client.post(url, data={"csrf_token": csrf_from(client.get(page).get_data(as_text=True)), **data})


def _publish(client, staff, month=NOV):
    sign_in(client, "supervisor")
    page = f"/assessment/?month={month}"
    assert "已复核" in _post(client, f"/assessment/review?month={month}", page).get_data(as_text=True)
    client.post("/logout", data={"csrf_token": csrf_from(client.get("/password").get_data(as_text=True))})
    sign_in(client, "director")
    answer = _post(client, f"/assessment/publish?month={month}", page)
    assert answer.status_code == 200 and "已公示" in answer.get_data(as_text=True)
    client.post("/logout", data={"csrf_token": csrf_from(client.get("/password").get_data(as_text=True))})


def test_staff_see_only_their_own_sheet(app, client, hall, staff, ledger, frozen):
    ledger(-2, person=staff["clerk"], rule="迟到", source="attendance")
    sign_in(client, "clerk")
    answer = client.get(f"/assessment/?month={NOV}")
    assert answer.status_code == 302 and f"/assessment/people/{staff['clerk']}" in answer.headers["Location"]
    page = client.get(f"/assessment/people/{staff['clerk']}?month={NOV}").get_data(as_text=True)
    assert "迟到" in page and 'id="assessment-total">98<' in page
    assert f'href="/attendance/me?month={NOV}">打卡记录' in page
    assert client.get(f"/assessment/people/{staff['clerk2']}?month={NOV}").status_code == 403
    assert client.get(f"/assessment/units/{hall['tax']}?month={NOV}").status_code == 403


def test_a_window_leader_sees_their_department_and_the_whole_ranking_only_in_the_objection_period(
        app, client, hall, staff, ledger, frozen):
    ledger(-1, unit="police", rule="台面不规范", source="patrol")
    sign_in(client, "leader")
    page = client.get(f"/assessment/?month={NOV}").get_data(as_text=True)
    assert "税务局" in page and "公安局户政" not in page
    assert client.get(f"/assessment/units/{hall['police']}?month={NOV}").status_code == 403
    client.post("/logout", data={"csrf_token": csrf_from(client.get("/password").get_data(as_text=True))})
    _publish(client, staff)
    sign_in(client, "leader")
    page = client.get(f"/assessment/?month={NOV}").get_data(as_text=True)
    assert "公安局户政" in page and "公示中" in page
    assert client.get(f"/assessment/units/{hall['police']}?month={NOV}").status_code == 403


def test_the_sheet_is_a_page_or_its_fragment(app, client, hall, staff, frozen):
    sign_in(client, "supervisor")
    url = f"/assessment/units/{hall['tax']}?month={NOV}"
    assert "<html" in client.get(url).get_data(as_text=True)
    fragment = client.get(url, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in fragment and 'id="assessment-sheet"' in fragment


def test_publishing_before_review_is_refused_on_the_page(app, client, hall, staff, frozen):
    sign_in(client, "director")
    answer = _post(client, f"/assessment/publish?month={NOV}", f"/assessment/?month={NOV}")
    assert answer.status_code == 422 and "督查人员复核之后才能公示" in answer.get_data(as_text=True)


def test_every_figure_opens_to_its_event_and_evidence(app, client, hall, staff, ledger, frozen):
    event_id = ledger(-5, unit="tax", rule="巡查：窗口空岗", source="patrol", evidence="patrol_visit:3")
    ledger(-10, unit="tax", rule="好差评：查实的不满意", source="evaluation", evidence="rating_case:2")
    ledger(-4, unit="tax", rule="投诉答复逾期", source="complaint", evidence="complaint:7")
    ledger(-1, unit="tax", rule="迟到：张三", source="attendance")
    sign_in(client, "supervisor")
    page = client.get(f"/assessment/units/{hall['tax']}?month={NOV}").get_data(as_text=True)
    assert f"/scores/events/{event_id}" in page and 'href="#cat-patrol"' in page
    for proof in ("/patrol/visits/3", "/ratings/cases/2", "/complaints/7", f"/attendance/month?month={NOV}"):
        assert f'href="{proof}"' in page, proof


def test_a_leader_objects_and_the_supervisor_rules_through_the_forms(app, client, hall, staff, ledger, frozen):
    event_id = ledger(-5, unit="tax", rule="巡查：窗口空岗", source="patrol")
    _publish(client, staff)
    with app.app_context():
        line_id = db.session.query(AssessmentLine).filter_by(event_id=event_id).one().id
    sign_in(client, "leader")
    sheet_url = f"/assessment/units/{hall['tax']}?month={NOV}"
    empty = _post(client, f"/assessment/lines/{line_id}/object", sheet_url, reason=" ")
    assert empty.status_code == 422 and "请填写异议理由" in empty.get_data(as_text=True)
    answer = _post(client, f"/assessment/lines/{line_id}/object", sheet_url, reason="当日有人值守")
    assert "异议已提交" in answer.get_data(as_text=True)
    client.post("/logout", data={"csrf_token": csrf_from(client.get("/password").get_data(as_text=True))})
    sign_in(client, "supervisor")
    with app.app_context():
        objection_id = db.session.query(AssessmentObjection).one().id
    answer = _post(client, f"/assessment/objections/{objection_id}/rule?month={NOV}",
                   f"/assessment/objections?month={NOV}", decision="upheld", note="查监控属实")
    assert "该项记分已撤销" in answer.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(ScoreEvent).filter_by(reverses_id=event_id).count() == 1
    assert 'id="assessment-total">100<' in client.get(sheet_url).get_data(as_text=True)



def _grow(app, hall, ledger, first: int, count: int, day):
    from portal.auth.models import User
    from portal.roles import Role
    with app.app_context():
        ids = []
        for n in range(first, first + count):
            user = User(hall_id=hall["hall"], name=f"增员{n}", login=f"grow{n}", department_id=hall["police"])
            user.set_roles([Role.STAFF])
            db.session.add(user)
            db.session.flush()
            ids.append(user.id)
        db.session.commit()
    for uid in ids:
        ledger(-1, person=uid, rule="迟到", source="attendance", day=day)
        ledger(2, person=uid, rule="感谢信", source="manual", day=day)


def _counts(app, client, hall, month):
    from tests.querycount import count_queries
    out = []
    for url in (f"/assessment/?month={month}", f"/assessment/units/{hall['police']}?month={month}"):
        client.get(url)
        with count_queries(app) as found:
            assert client.get(url).status_code == 200
        out.append(len(found))
    return out


def test_a_published_month_reads_in_the_same_queries_however_many_staff_and_events(
        app, client, hall, staff, ledger, frozen):
    from datetime import date
    _grow(app, hall, ledger, 0, 2, date(2026, 10, 12))
    _publish(client, staff, "2026-10")
    _grow(app, hall, ledger, 2, 20, date(2026, 11, 12))
    _publish(client, staff, NOV)
    sign_in(client, "supervisor")
    assert _counts(app, client, hall, "2026-10") == _counts(app, client, hall, NOV)


def test_every_units_sheet_prints_as_one_pdf_in_the_background(app, client, hall, staff, ledger, frozen):
    from tests.pdftools import pdf_text
    ledger(-5, unit="tax", rule="巡查：窗口空岗", source="patrol")
    sign_in(client, "supervisor")
    answer = _post(client, f"/assessment/print?month={NOV}", f"/assessment/?month={NOV}")
    assert answer.status_code == 303 and "/jobs/" in answer.headers["Location"]
    done = client.get(answer.headers["Location"].rstrip("/") + "/file")
    text = pdf_text(done.data)
    assert "窗口单位考核表" in text and "巡查：窗口空岗" in text and "公安局户政" in text


def _figures(page: str) -> tuple:
    import re
    total = re.search(r'id="assessment-total">([^<]+)<', page).group(1)
    rank = re.search(r'id="assessment-rank">([^<]+)<', page).group(1)
    rules = re.findall(r'<tr id="line-[^"]+"><td>([^<]+)</td>\s*<td>([^<]+?)\s*</td>', page)
    return total, rank, rules, "本月没有扣分、加分记录" in page


def test_a_published_sheet_shows_the_figures_rank_and_lines_the_open_month_showed(
        app, client, hall, staff, ledger, frozen):
    ledger(-2, person=staff["clerk"], rule="迟到", source="attendance")
    ledger(-5, unit="tax", rule="巡查：窗口空岗", source="patrol")
    urls = [f"/assessment/units/{hall['tax']}?month={NOV}", f"/assessment/units/{hall['police']}?month={NOV}",
            f"/assessment/people/{staff['clerk']}?month={NOV}"]
    sign_in(client, "supervisor")
    before = [_figures(client.get(url).get_data(as_text=True)) for url in urls]
    client.post("/logout", data={"csrf_token": csrf_from(client.get("/password").get_data(as_text=True))})
    _publish(client, staff)
    sign_in(client, "supervisor")
    after = [_figures(client.get(url).get_data(as_text=True)) for url in urls]
    assert after == before
    (_t, _r, unit_lines, _none), (_t, _r, _l, police_empty), (_t, _r, person_lines, _none) = before
    assert "巡查：窗口空岗" in [rule for _day, rule in unit_lines] and police_empty
    assert [rule for _day, rule in person_lines] == ["迟到"]
