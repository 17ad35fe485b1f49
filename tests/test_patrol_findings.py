"""Patrol findings: what they cost, whom they cost, and voiding them whole from the patrol record."""
from datetime import datetime

import pytest

from portal import clock
from portal.auth.models import User
from portal.extensions import db
from portal.org.models import Window
from portal.patrol import checklist, service
from portal.patrol.models import ChecklistTemplate, PatrolFinding, PatrolFindingVoid, PatrolVisit
from portal.roles import Role
from portal.rulebook import service as rules
from portal.scores import service as scores
from portal.scores.models import ScoreEvent
from tests.conftest import csrf_from, token
from tests.patrol_fixtures import staffed  # noqa: F401 - pytest fixtures

HX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def tuesday():
    clock.freeze(datetime(2026, 11, 24, 9, 30))


def _visit(app, uid, window_id, picks, **flags):
    """Record a visit by the person on the window with (label, person id or None) picks; return its id."""
    with app.app_context():
        user = db.session.get(User, uid)
        patrol = service.start_round(user)
        items = {i.label: i.id for i in patrol.template.items}
        entry = service.Entry("findings", [(items[label], person) for label, person in picks], **flags)
        visit = service.record_visit(user, patrol, db.session.get(Window, window_id), entry)
        db.session.commit()
        return visit.id


def _ledger(app):
    with app.app_context():
        return [(e.subject_user_id, e.department_id, e.centipoints, e.reverses_id)
                for e in db.session.query(ScoreEvent).order_by(ScoreEvent.id)]


def test_a_minor_finding_corrected_on_the_spot_is_recorded_and_deducts_nothing(app, make_user, staffed):
    sup = make_user("ducha", Role.SUPERVISOR)
    vid = _visit(app, sup, staffed["w1"], [("未按规定着装", staffed["a1"])], corrected=True)
    assert _ledger(app) == []
    with app.app_context():
        (finding,) = db.session.query(PatrolFinding).filter_by(visit_id=vid).all()
        assert (finding.label, finding.person_id, finding.person_centi) == ("未按规定着装", staffed["a1"], 0)


def test_a_serious_finding_corrected_on_the_spot_still_deducts(app, make_user, staffed):
    sup = make_user("ducha", Role.SUPERVISOR)
    _visit(app, sup, staffed["w1"], [("工作时间饮酒", staffed["a1"])], corrected=True, serious=True)
    assert [c for _u, _d, c, _r in _ledger(app)] == [-300]


def test_the_rulebook_can_make_a_corrected_minor_finding_deduct(app, make_user, staffed):
    sup = make_user("ducha", Role.SUPERVISOR)
    admin = make_user("admin1", Role.ADMIN)
    with app.app_context():
        assert rules.DEFINITIONS["patrol.corrected_minor"].label == "轻微问题当场纠正的"
        assert rules.change("patrol.corrected_minor", "deduct", db.session.get(User, admin)) is None
    _visit(app, sup, staffed["w1"], [("未按规定着装", staffed["a1"])], corrected=True)
    assert [c for _u, _d, c, _r in _ledger(app)] == [-100]


def test_a_finding_costs_the_unit_the_person_belonged_to_on_the_day(app, hall, make_user, staffed):
    sup = make_user("ducha", Role.SUPERVISOR)
    for label in ("未按规定着装", "脱岗、串岗", "吃零食、吸烟、聊天"):  # 1 + 2 + 2: five points lost
        _visit(app, sup, staffed["w1"], [(label, staffed["a1"])])
    with app.app_context():
        assert {f.department_id for f in db.session.query(PatrolFinding)} == {hall["tax"]}
        db.session.get(User, staffed["a1"]).department_id = hall["police"]  # moved to another unit later
        db.session.commit()
        units = {u.department.id: u for u in scores.unit_totals(hall["hall"], 2026, 11)}
        assert units[hall["tax"]].linked_centi == -200 and units[hall["police"]].linked_centi == 0


def _void(client, vid, csrf, findings, reason="申诉成立：当时在处理业务"):
    return client.post(f"/patrol/visits/{vid}/void", data={"csrf_token": csrf, "finding": findings, "reason": reason},
                       headers=HX)


def test_voiding_a_finding_reverses_each_of_its_score_events_once_with_one_reason(
        app, client, hall, login_as, staffed):
    sup = login_as(Role.SUPERVISOR)
    vid = _visit(app, sup, staffed["w1"], [("脱岗、串岗", staffed["a1"]), ("窗口空岗", None)])
    with app.app_context():
        ids = [str(f.id) for f in db.session.query(PatrolFinding).filter_by(visit_id=vid)]
    page = client.get(f"/patrol/visits/{vid}").get_data(as_text=True)
    assert "撤销所选问题" in page and page.count('name="finding"') == 2
    csrf = csrf_from(page)
    assert _void(client, vid, csrf, ids, reason=" ").status_code == 422
    done = _void(client, vid, csrf, ids)
    body = done.get_data(as_text=True)
    assert done.status_code == 200 and "<html" not in body and "已撤销 2 项问题" in body
    ledger = _ledger(app)
    assert len(ledger) == 4 and sum(c for _u, _d, c, _r in ledger) == 0  # originals kept, each reversed
    with app.app_context():
        reversals = db.session.query(ScoreEvent).filter(ScoreEvent.reverses_id.is_not(None)).all()
        assert {e.note for e in reversals} == {"申诉成立：当时在处理业务"}
        assert db.session.query(PatrolFindingVoid).count() == 2
        assert scores.unit_totals(hall["hall"], 2026, 11)[0].total == 0
    assert _void(client, vid, csrf, ids).status_code == 409
    assert len(_ledger(app)) == 4
    assert "撤销所选问题" not in client.get(f"/patrol/visits/{vid}").get_data(as_text=True)


def test_voiding_one_finding_leaves_the_others_and_an_event_voided_on_its_own_page(app, client, login_as, staffed):
    sup = login_as(Role.SUPERVISOR)
    vid = _visit(app, sup, staffed["w1"], [("脱岗、串岗", staffed["a1"]), ("窗口空岗", None)])
    with app.app_context():
        away, empty = db.session.query(PatrolFinding).filter_by(visit_id=vid).order_by(PatrolFinding.id).all()
        scores.void(db.session.get(ScoreEvent, empty.unit_event_id), "先单独撤销", db.session.get(User, sup))
        db.session.commit()
        away_id, empty_id = away.id, empty.id
    csrf = csrf_from(client.get(f"/patrol/visits/{vid}").get_data(as_text=True))
    assert _void(client, vid, csrf, [str(empty_id)]).status_code == 200
    assert len(_ledger(app)) == 3  # the unit event was reversed once, not twice
    assert _void(client, vid, csrf, [str(away_id)]).status_code == 200
    assert sum(c for _u, _d, c, _r in _ledger(app)) == 0


def test_only_voiders_may_void_a_finding(app, client, make_user, login_as, staffed):
    sup = make_user("ducha", Role.SUPERVISOR)
    vid = _visit(app, sup, staffed["w1"], [("窗口空岗", None)])
    login_as(Role.DUTY_LEADER)
    page = client.get(f"/patrol/visits/{vid}").get_data(as_text=True)
    assert "撤销所选问题" not in page
    assert _void(client, vid, csrf_from(page), ["1"]).status_code == 403
    assert len(_ledger(app)) == 1


def test_the_check_form_shows_what_each_item_costs_and_the_a_and_b_posts(app, client, login_as, staffed):
    login_as(Role.SUPERVISOR)
    page = client.get("/patrol/").get_data(as_text=True)
    started = client.post("/patrol/rounds", data={"csrf_token": csrf_from(page)})
    rid = started.headers["Location"].rstrip("/").split("/")[-1]
    form = client.get(f"/patrol/rounds/{rid}/windows/{staffed['w1']}/check", headers=HX).get_data(as_text=True)
    text = " ".join(form.split())
    assert "<strong>A岗</strong> 张一" in text and "<strong>B岗</strong> 李一" in text
    assert "A岗 张一" in text and "B岗 李一" in text
    with app.app_context():
        drink = rules.get("staff_points.drinking")
        empty = rules.get("unit_points.window_unattended")
    assert f"工作时间饮酒 <small class=\"check-cost\">扣个人 {drink:g} 分</small>" in text
    assert f"窗口空岗 <small class=\"check-cost\">扣单位 {empty:g} 分</small>" in text
    assert "轻微问题只记录，不扣分" in text


def test_a_new_hall_gets_its_default_checklist_and_reading_it_writes_nothing(app, client, hall, login_as):
    from portal.org.models import Hall
    from portal.org.service import add_hall
    with app.app_context():
        assert checklist.latest(hall["hall"]) is None  # made directly by the test fixture
        station = add_hall(Hall(name="城关镇便民服务中心", level="township", parent_id=hall["hall"]))
        db.session.commit()
        seeded = checklist.latest(station.id)
        assert seeded.version == 1 and len(seeded.items) == len(checklist.DEFAULT_ITEMS)
    login_as(Role.ADMIN)
    for path in ("/patrol/", "/patrol/checklist"):
        assert client.get(path).status_code == 200
    with app.app_context():
        assert db.session.query(ChecklistTemplate).filter_by(hall_id=hall["hall"]).count() == 0


def test_a_patrol_events_evidence_links_to_its_visit_record(app, client, login_as, staffed):
    sup = login_as(Role.SUPERVISOR)
    vid = _visit(app, sup, staffed["w1"], [("窗口空岗", None)])
    with app.app_context():
        event_id = db.session.query(ScoreEvent).one().id
    page = client.get(f"/scores/events/{event_id}").get_data(as_text=True)
    assert f'href="/patrol/visits/{vid}"' in page and "查看巡查记录" in page



def test_a_voided_finding_leaves_the_bulletin_and_the_day_report(app, make_user, staffed):
    from portal.org.models import Hall
    from portal.patrol import findings, reports
    sup = make_user("ducha", Role.SUPERVISOR)
    vid = _visit(app, sup, staffed["w1"], [("未按规定着装", staffed["a1"]), ("窗口空岗", None)])
    with app.app_context():
        from portal.patrol.models import PatrolVisit
        visit = db.session.get(PatrolVisit, vid)
        dress = next(f for f in visit.findings if f.label == "未按规定着装")
        findings.void(db.session.get(User, sup), visit, [dress.id], "申诉成立")
        db.session.commit()
        hall = db.session.query(Hall).one()
        bulletin = reports.bulletin(hall, 2026, 4)
        assert [f.label for _v, f in bulletin["findings"]] == ["窗口空岗"] and bulletin["repeats"] == []
        assert bulletin["points"] == rules.get("unit_points.window_unattended")
        day = reports.day_report(hall, clock.today())
        assert [f.label for _v, f in day["findings"]] == ["窗口空岗"]


def test_a_double_sent_all_in_order_or_void_records_once(app, client, login_as, staffed):
    import re
    sup = login_as(Role.SUPERVISOR)
    vid = _visit(app, sup, staffed["w1"], [("窗口空岗", None)])
    with app.app_context():
        rid = db.session.get(PatrolVisit, vid).round_id
    card = client.get(f"/patrol/rounds/{rid}/windows/{staffed['w2']}", headers=HX).get_data(as_text=True)
    key = re.search(r'name="once" value="([^"]+)"', card).group(1)
    data = {"csrf_token": token(client, "/patrol/"), "once": key}
    for _ in range(2):
        assert client.post(f"/patrol/rounds/{rid}/windows/{staffed['w2']}/ok", data=data, headers=HX).status_code == 200
    page = client.get(f"/patrol/visits/{vid}").get_data(as_text=True)
    key = re.search(r'name="once" value="([^"]+)"', page.split('id="void-reason"')[0].split("撤销问题")[-1]).group(1)
    with app.app_context():
        (finding,) = db.session.query(PatrolFinding).filter_by(visit_id=vid).all()
        fid = str(finding.id)
        assert db.session.query(PatrolVisit).filter_by(window_id=staffed["w2"]).count() == 1
    answers = [client.post(f"/patrol/visits/{vid}/void", headers=HX, data={
        "csrf_token": csrf_from(page), "once": key, "finding": fid, "reason": "申诉成立"}) for _ in range(2)]
    assert [a.status_code for a in answers] == [200, 200] and answers[1].headers.get("X-HallDesk-Replayed") == "1"
    assert len(_ledger(app)) == 2
