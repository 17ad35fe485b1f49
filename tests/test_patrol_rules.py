"""Patrol rules: checklist versions, rounds done and due, drawn times, the day's close, reports."""
from datetime import date, datetime
from urllib.parse import urlsplit

import pytest
from sqlalchemy.exc import IntegrityError

from portal import clock
from portal.auth.models import User
from portal.extensions import db
from portal.org.models import Window
from portal.patrol import checklist, service
from portal.patrol.models import PatrolVisit
from portal.roles import Role
from portal.rulebook import service as rules
from portal.scores import service as scores
from portal.scores.models import ScoreEvent
from tests.conftest import csrf_from
from tests.patrol_fixtures import staffed  # noqa: F401 - pytest fixtures
from tests.pdftools import pdf_text

TUESDAY = date(2026, 11, 24)


@pytest.fixture(autouse=True)
def tuesday():
    clock.freeze(datetime(2026, 11, 24, 9, 30))


def test_a_round_keeps_the_checklist_version_it_started_with(app, hall, make_user):
    uid = make_user("ducha", Role.SUPERVISOR)
    with app.app_context():
        user = db.session.get(User, uid)
        first = service.start_round(user)
        drafts = [checklist.ItemDraft(i.section, i.label, i.person_centi * 2, i.unit_centi)
                  for i in first.template.items]
        newer = checklist.save_version(hall["hall"], drafts, user, base_version=1, note="扣分加倍")
        db.session.commit()
        assert (first.template.version, newer.version) == (1, 2)
        dress = next(i for i in first.template.items if i.label == "未按规定着装")
        window = db.session.query(Window).filter_by(number=1).one()
        window.a_post_id = uid
        visit = service.record_visit(user, first, window, service.Entry("findings", [(dress.id, uid)]))
        assert db.session.get(PatrolVisit, visit.id).findings[0].person_centi == 100  # the old version's, not doubled
        with pytest.raises(checklist.ChecklistError) as stale:
            checklist.save_version(hall["hall"], drafts, user, base_version=1)
        assert stale.value.status == 409


def test_checklist_defaults_come_from_the_rulebook(app, hall, make_user):
    uid = make_user("admin1", Role.ADMIN)
    with app.app_context():
        from portal.rulebook import service as rules
        assert rules.change("staff_points.drinking", "4", db.session.get(User, uid)) is None
        drink = next(d for d in checklist.default_drafts() if d.label == "工作时间饮酒")
        assert drink.person_centi == 400


def test_checklist_page_saves_a_new_version_and_refuses_a_stale_one(app, client, login_as):
    login_as(Role.ADMIN)
    page = client.get("/patrol/checklist").get_data(as_text=True)
    assert "默认清单" in page and "未按规定着装" in page
    data = {"csrf_token": csrf_from(page), "base_version": "0", "count": "1", "section-0": "appearance",
            "label-0": "未按规定着装", "person-0": "1.5", "unit-0": "0", "section-1": "service",
            "label-1": "手机外放", "person-1": "1", "unit-1": "0"}
    saved = client.post("/patrol/checklist", data=data)
    assert saved.status_code == 200 and "已保存为第 1 版" in saved.get_data(as_text=True)
    again = client.post("/patrol/checklist", data=data)
    assert again.status_code == 409
    bad = client.post("/patrol/checklist", data={**data, "base_version": "1", "person-0": "abc"})
    assert bad.status_code == 422 and "扣分请填数字" in bad.get_data(as_text=True)


def _patroller(app, make_user, login="ducha"):
    uid = make_user(login, Role.SUPERVISOR, name="督查甲")
    with app.app_context():
        return uid


def test_rounds_status_counts_finished_rounds_against_the_rulebook(app, hall, make_user):
    uid = _patroller(app, make_user)
    with app.app_context():
        user = db.session.get(User, uid)
        assert service.rounds_status(TUESDAY, hall["hall"]) == (0, 2)
        patrol = service.start_round(user)
        assert service.rounds_status(TUESDAY, hall["hall"]) == (0, 2)
        service.finish_round(patrol)
        db.session.commit()
        assert service.rounds_status(TUESDAY, hall["hall"]) == (1, 2)
        assert service.rounds_status(date(2026, 11, 28), hall["hall"]) == (0, 0)  # a Saturday


@pytest.mark.parametrize("draw", [0.0, 0.5, 0.999])
def test_drawn_times_fall_one_in_the_morning_one_in_the_afternoon(app, hall, make_user, draw):
    uid = _patroller(app, make_user)

    class Fixed:
        def uniform(self, low, high):
            return low + (high - low) * draw

    with app.app_context():
        slots = service.draw_times(db.session.get(User, uid), TUESDAY, Fixed())
        db.session.commit()
        hours = [clock.local(s.at).hour for s in slots]
        assert len(slots) == 2 and 8 <= hours[0] < 12 and 14 <= hours[1] < 18, hours
        assert [s.id for s in service.draw_times(db.session.get(User, uid), TUESDAY)] == [s.id for s in slots]


def test_drawn_times_are_shown_to_patrollers_only(app, client, login_as, make_user):
    uid = _patroller(app, make_user)
    with app.app_context():
        service.draw_times(db.session.get(User, uid), TUESDAY)
        db.session.commit()
    login_as(Role.ADMIN)
    page = client.get("/patrol/").get_data(as_text=True)
    assert "随机巡查时间" not in page and "应巡查 <strong>2</strong>" in page


def test_close_day_deducts_each_missed_round_exactly_once(app, hall, make_user):
    uid = _patroller(app, make_user)
    with app.app_context():
        service.draw_times(db.session.get(User, uid), TUESDAY)
        patrol = service.start_round(db.session.get(User, uid))
        service.finish_round(patrol)
        db.session.commit()
    runner = app.test_cli_runner()
    for _ in range(3):
        result = runner.invoke(args=["close-day", "2026-11-24"])
        assert result.exit_code == 0, result.output
    with app.app_context():
        (event,) = db.session.query(ScoreEvent).filter_by(source="missed_patrol").all()
        assert event.subject_user_id == uid and event.centipoints == -20
        (total,) = scores.person_totals(hall["hall"], 2026, 11)
        assert str(total.total) == "-0.2"


def test_the_database_refuses_a_second_missed_round_event(app, hall, make_user):
    uid = _patroller(app, make_user)
    with app.app_context():
        for _ in range(2):
            db.session.add(ScoreEvent(hall_id=hall["hall"], subject_user_id=uid, centipoints=-20, rule="少巡查",
                                      source="missed_patrol", day=TUESDAY, recorded_at=clock.now(),
                                      dedupe_key=f"patrol-missed:{hall['hall']}:{TUESDAY}:2"))
        with pytest.raises(IntegrityError):
            db.session.commit()


def test_close_day_without_a_responsible_patroller_deducts_nothing(app, hall):
    result = app.test_cli_runner().invoke(args=["close-day", "2026-11-24"])
    assert result.exit_code == 0 and "没有可追责的巡查人" in result.output
    with app.app_context():
        assert db.session.query(ScoreEvent).count() == 0


def test_quarterly_bulletin_pdf_lists_findings_by_kind_department_and_repeats(app, client, login_as, staffed):
    sup = login_as(Role.SUPERVISOR)
    with app.app_context():
        user = db.session.get(User, sup)
        window = db.session.get(Window, staffed["w1"])
        dress = None
        for _ in range(2):
            patrol = service.start_round(user)
            dress = next(i for i in patrol.template.items if i.label == "未按规定着装")
            service.record_visit(user, patrol, window, service.Entry("findings", [(dress.id, staffed["a1"])]))
            service.finish_round(patrol)
        db.session.commit()
    response = client.get("/patrol/bulletin.pdf?quarter=2026-4")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = "".join(pdf_text(response.get_data()).split())
    for expected in ("值班巡查情况通报", "2026年第4季度", "未按规定着装", "税务局", "屡查屡犯", "张一"):
        assert expected in text, expected
    day = client.get("/patrol/report.pdf?day=2026-11-24")
    assert "值班巡查日报" in "".join(pdf_text(day.get_data()).split())


@pytest.mark.demo
def test_demo_hall_has_past_patrols_in_the_ledger(app):
    from portal.patrol.models import PatrolRound
    with app.app_context():
        assert db.session.query(PatrolRound).count() >= 5
        assert db.session.query(ScoreEvent).filter_by(source="patrol").count() > 0


def test_a_serious_finding_can_be_issued_as_an_immediate_bulletin(app, client, login_as, staffed):
    sup = login_as(Role.SUPERVISOR)
    with app.app_context():
        user = db.session.get(User, sup)
        patrol = service.start_round(user)
        drink = next(i for i in patrol.template.items if i.label == "工作时间饮酒")
        visit = service.record_visit(user, patrol, db.session.get(Window, staffed["w1"]),
                                     service.Entry("findings", [(drink.id, staffed["b1"])], serious=True))
        db.session.commit()
        vid = visit.id
    page = client.get(f"/patrol/visits/{vid}").get_data(as_text=True)
    assert "情节严重" in page and "即时通报 PDF" in page
    text = "".join(pdf_text(client.get(f"/patrol/visits/{vid}/bulletin.pdf").get_data()).split())
    for expected in ("值班巡查即时通报", "工作时间饮酒", "李一", "税务局"):
        assert expected in text, expected


def test_two_drawn_times_are_always_one_per_half_day_even_in_summer(app, hall, make_user):
    class Extreme:  # the earliest and the latest minute the draw may pick
        def __init__(self, pick):
            self.uniform = lambda low, high: low if pick == "low" else high
    uid = _patroller(app, make_user)
    with app.app_context():
        for pick, day in [("low", TUESDAY), ("high", date(2026, 11, 25)), ("low", date(2026, 7, 7)),
                          ("high", date(2026, 7, 8))]:
            slots = service.draw_times(db.session.get(User, uid), day, rng=Extreme(pick))
            am, pm = [clock.local(s.at).time() for s in slots]
            hours = rules.office_hours(day)
            assert hours["am"][0] <= am < hours["am"][1], (day, am)
            assert hours["pm"][0] <= pm < hours["pm"][1], (day, pm)


def test_quarterly_bulletin_renders_in_the_background_and_posts_to_the_board(app, client, login_as, staffed):
    import time as _time

    from portal.notices.models import Notice
    from portal.uploads.models import StoredFile
    sup = login_as(Role.SUPERVISOR)
    with app.app_context():
        user = db.session.get(User, sup)
        patrol = service.start_round(user)
        dress = next(i for i in patrol.template.items if i.label == "未按规定着装")
        service.record_visit(user, patrol, db.session.get(Window, staffed["w1"]),
                             service.Entry("findings", [(dress.id, staffed["a1"])]))
        service.finish_round(patrol)
        db.session.commit()
    csrf = csrf_from(client.get("/patrol/").get_data(as_text=True))
    assert client.post("/patrol/bulletin/make?quarter=2026-4").status_code == 400       # no CSRF token
    started = client.post("/patrol/bulletin/make?quarter=2026-4", data={"csrf_token": csrf})
    assert started.status_code == 303 and "/pdf/jobs/" in started.headers["Location"]
    job_page, deadline = started.headers["Location"], _time.time() + 60
    while "打开 PDF" not in client.get(job_page).get_data(as_text=True) and _time.time() < deadline:
        _time.sleep(0.5)
    text = "".join(pdf_text(client.get(urlsplit(job_page).path + "/file").get_data()).split())
    assert "值班巡查情况通报" in text and "未按规定着装" in text
    posted = client.post("/patrol/bulletin/post?quarter=2026-4", data={"csrf_token": csrf})
    assert posted.status_code == 303
    with app.app_context():
        (notice,) = db.session.query(Notice).all()
        assert notice.title == "2026年第4季度巡查通报" and notice.state == "published"
        assert db.session.query(StoredFile).filter_by(owner_type="notice", owner_id=notice.id).count() == 1
        visit_id = db.session.query(PatrolVisit).one().id
    assert client.post(f"/patrol/visits/{visit_id}/bulletin/post", data={"csrf_token": csrf}).status_code == 303
    with app.app_context():
        titles = [n.title for n in db.session.query(Notice).order_by(Notice.id)]
        assert [t.startswith("巡查即时通报") for t in titles] == [False, True]


def test_a_running_quarter_bulletin_counts_patrols_due_only_up_to_today(app, client, login_as, staffed):
    from portal.org.models import Hall
    from portal.patrol import reports
    clock.freeze(datetime(2026, 12, 1, 9, 30))  # Q4 is running: December has barely begun
    login_as(Role.SUPERVISOR)
    with app.app_context():
        hall = db.session.query(Hall).one()
        running = reports.bulletin(hall, 2026, 4)
        per_day = rules.get("patrol.per_day")
        days = len(service.calendar.working_days(date(2026, 10, 1), date(2026, 12, 1)))
        assert (running["due"], running["as_of"]) == (days * per_day, "12月1日")
        ended = reports.bulletin(hall, 2026, 3)
        assert ended["as_of"] is None
        assert ended["due"] == per_day * len(service.calendar.working_days(date(2026, 7, 1), date(2026, 9, 30)))
    text = "".join(pdf_text(client.get("/patrol/bulletin.pdf?quarter=2026-4").get_data()).split())
    assert "截至12月1日" in text and f"应巡查{days * per_day}次" in text
