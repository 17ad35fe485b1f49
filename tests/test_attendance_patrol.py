"""A patrol finding of an empty window (空岗) or of someone off post (脱岗) shown beside that half day's attendance."""
from datetime import datetime

from portal import clock
from portal.attendance import sheet
from portal.extensions import db
from portal.org.models import Window
from portal.patrol import checklist
from portal.patrol import service as patrol
from tests.conftest import sign_in
from tests.leave_fixtures import people, person  # noqa: F401
from tests.patrol_fixtures import item_id
from tests.test_attendance_leave_days import THU, _full_day, later, mapped  # noqa: F401


def _patrol(app, people, person):
    """Window 1 (the clerk's A post, the colleague's B post) found empty in the morning, the clerk off post after."""
    with app.app_context():
        checklist.current(person(people["general"]).hall_id, person(people["general"]))
        db.session.commit()
    empty, away = item_id(app, "窗口空岗"), item_id(app, "脱岗、串岗")
    with app.app_context():
        window = db.session.query(Window).filter_by(number=1).one()
        window.a_post_id, window.b_post_id = people["clerk"], people["mate"]
        general = person(people["general"])
        visits = []
        for at, pick in ((datetime(2026, 12, 3, 10, 12), (empty, None)),
                         (datetime(2026, 12, 3, 15, 40), (away, people["clerk"]))):
            clock.freeze(at)
            rnd = patrol.start_round(general)
            visits.append(patrol.record_visit(general, rnd, window, patrol.Entry("findings", [pick])).id)
            patrol.finish_round(rnd)
        db.session.commit()
        return visits


def test_an_empty_window_and_an_off_post_finding_are_shown_beside_the_half_day(
        app, client, later, people, person, mapped):
    with app.app_context():
        _full_day(mapped, "1")
    empty_visit, away_visit = _patrol(app, people, person)
    clock.freeze(datetime(2026, 12, 8, 9, 0))
    with app.app_context():
        rows = {r.person.name: r for r in sheet.range_sheet(person(people["clerk"]).hall_id, [THU],
                [person(people["clerk"]), person(people["mate"])], with_findings=True)}
        assert [f.label for f in rows["王五"].found(THU, "am")] == ["窗口空岗"]
        assert [f.label for f in rows["王五"].found(THU, "pm")] == ["脱岗、串岗"]
        assert [f.label for f in rows["赵六"].found(THU, "am")] == ["窗口空岗"] and not rows["赵六"].found(THU, "pm")
    sign_in(client, "director")
    page = client.get(f"/attendance/people/{people['clerk']}?month=2026-12").get_data(as_text=True)
    assert "巡查：窗口空岗 10:12" in page and f"/patrol/visits/{empty_visit}" in page
    assert "巡查：脱岗、串岗 15:40" in page and f"/patrol/visits/{away_visit}" in page
    assert 'title="巡查：窗口空岗 10:12">巡' in client.get("/attendance/month?month=2026-12").get_data(as_text=True)


def test_a_window_leader_sees_the_finding_without_a_link_they_could_not_open(
        app, client, later, people, person, mapped):
    _patrol(app, people, person)
    clock.freeze(datetime(2026, 12, 8, 9, 0))
    sign_in(client, "unitlead")
    page = client.get(f"/attendance/people/{people['clerk']}?month=2026-12").get_data(as_text=True)
    assert "巡查：窗口空岗 10:12" in page and "/patrol/visits/" not in page


def test_a_window_leader_s_attendance_menu_offers_only_pages_they_may_open(app, client, later, people):
    sign_in(client, "unitlead")
    page = client.get("/attendance/month").get_data(as_text=True)
    assert "/attendance/leave" in page and "/attendance/import" not in page and "/attendance/sendback" not in page
