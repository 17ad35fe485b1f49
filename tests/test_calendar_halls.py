"""One working-day calendar per install, kept by the county; a station adds only its own closures and extra days."""
from datetime import date, datetime

import pytest

from portal.auth import passwords
from portal.auth.models import User
from portal.extensions import db
from portal.org.models import Hall
from portal.roles import Role
from portal.rulebook import calendar
from portal.rulebook.models import CalendarDay, HallCalendarDay
from tests.conftest import PASSWORD, sign_in, token
from tests.querycount import count_queries

WEDNESDAY, SATURDAY, THURSDAY = date(2026, 12, 2), date(2026, 12, 5), date(2026, 12, 3)


@pytest.fixture
def county(app, hall):
    """The test hall is the county; two stations and a village room under the first."""
    with app.app_context():
        east = Hall(name="东街便民服务站", level="township", parent_id=hall["hall"])
        west = Hall(name="西街便民服务站", level="township", parent_id=hall["hall"])
        db.session.add_all([east, west])
        db.session.flush()
        room = Hall(name="东街社区便民服务室", level="village", parent_id=east.id)
        db.session.add(room)
        db.session.add(CalendarDay(day=THURSDAY, kind="holiday", name="县级测试假日"))
        db.session.commit()
        return {"county": hall["hall"], "east": east.id, "west": west.id, "room": room.id}


def _admin(app, login, hall_id):
    with app.app_context():
        user = User(hall_id=hall_id, name=login, login=login)
        user.set_roles([Role.ADMIN])
        passwords.set_password(user, PASSWORD, must_change=False)
        db.session.add(user)
        db.session.commit()
    client = app.test_client()
    assert sign_in(client, login).status_code == 302
    return client


def _add(client, day, kind, name="本站测试"):
    return client.post("/admin/calendar/days", data={"csrf_token": token(client), "day": day.isoformat(),
                                                     "kind": kind, "name": name})


def test_a_stations_own_closure_and_extra_day_hold_for_it_and_its_rooms_not_for_the_county(app, county):
    east = _admin(app, "dong-c", county["east"])
    assert _add(east, WEDNESDAY, "closure", "站内装修闭厅").status_code == 200
    assert _add(east, SATURDAY, "extra", "周末预约服务").status_code == 200
    with app.app_context():
        for hall_id in (county["east"], county["room"]):
            assert not calendar.is_working_day(WEDNESDAY, hall_id=hall_id)
            assert calendar.is_working_day(SATURDAY, hall_id=hall_id)
            assert not calendar.is_working_day(THURSDAY, hall_id=hall_id)  # the county's holiday still holds
        for hall_id in (county["county"], county["west"]):
            assert calendar.is_working_day(WEDNESDAY, hall_id=hall_id)
            assert not calendar.is_working_day(SATURDAY, hall_id=hall_id)
        assert calendar.is_working_day(WEDNESDAY)  # outside a request and a batch: the county's calendar
        with calendar.batch(county["room"]):  # a command working hall by hall
            assert calendar.working_days(date(2026, 11, 30), date(2026, 12, 6)) == [
                date(2026, 11, 30), date(2026, 12, 1), date(2026, 12, 4), SATURDAY]
    page = east.get("/admin/calendar?year=2026").get_data(as_text=True)
    assert "站内装修闭厅" in page and "县级测试假日" in page and "本站" in page


def test_a_station_cannot_set_official_holidays_or_change_the_countys_days(app, county):
    east = _admin(app, "dong-d", county["east"])
    response = _add(east, WEDNESDAY, "holiday", "自定假日")
    assert response.status_code == 422
    with app.app_context():
        assert calendar.is_working_day(WEDNESDAY, hall_id=county["east"])
        county_day = db.session.query(CalendarDay).filter_by(day=THURSDAY).one().id
    csrf = token(east)
    assert east.post(f"/admin/calendar/days/{county_day}/delete", data={"csrf_token": csrf}).status_code == 404
    assert east.post("/admin/calendar/2026/import", data={"csrf_token": csrf}).status_code == 404
    assert east.post("/admin/calendar/2026/entered", data={"csrf_token": csrf}).status_code == 404
    with app.app_context():
        assert db.session.get(CalendarDay, county_day) is not None


def test_another_stations_own_day_is_a_404(app, county):
    east, west = _admin(app, "dong-e", county["east"]), _admin(app, "xi-e", county["west"])
    _add(east, WEDNESDAY, "closure")
    with app.app_context():
        own = db.session.query(HallCalendarDay).one().id
    csrf = token(west)
    assert west.post(f"/admin/calendar/own/{own}/delete", data={"csrf_token": csrf}).status_code == 404
    csrf = token(east)
    assert east.post(f"/admin/calendar/own/{own}/delete", data={"csrf_token": csrf}).status_code == 200
    with app.app_context():
        assert calendar.is_working_day(WEDNESDAY, hall_id=county["east"])


def test_a_rooms_calendar_is_one_query_with_its_stations_and_the_countys_days(app, county):
    with app.app_context():
        db.session.add(HallCalendarDay(hall_id=county["east"], day=WEDNESDAY, kind="closure"))
        db.session.commit()
    with app.test_request_context("/"):
        calendar.rules.lineage(county["room"])  # the rulebook's one query, made by every request anyway
        with count_queries(app) as seen:
            assert not calendar.is_working_day(WEDNESDAY, hall_id=county["room"])
            calendar.add_working_days(date(2026, 11, 27), 5, hall_id=county["room"])
            calendar.working_days_between(date(2026, 11, 27), date(2026, 12, 10), hall_id=county["room"])
        assert len(seen) == 1


def test_a_stations_screen_follows_the_stations_own_closure(app, client, county):
    from portal import clock
    from portal.display.models import DisplayScreen
    with app.app_context():
        db.session.add_all([DisplayScreen(hall_id=county["east"], name="东街屏", token="east-screen-token-000001"),
                            DisplayScreen(hall_id=county["west"], name="西街屏", token="west-screen-token-000001"),
                            HallCalendarDay(hall_id=county["east"], day=WEDNESDAY, kind="closure", name="站内装修")])
        db.session.commit()
    clock.freeze(datetime(2026, 12, 2, 10, 0))
    try:
        east = client.get("/display/east-screen-token-000001/content").get_data(as_text=True)
        west = client.get("/display/west-screen-token-000001/content").get_data(as_text=True)
    finally:
        clock.freeze(None)
    assert 'id="slide-closed"' in east and "站内装修" in east
    assert 'id="slide-closed"' not in west


def test_a_daily_job_works_hall_by_hall_each_in_its_own_calendar(app, county):
    """Outside a request a job read the county's calendar for every station (and the single-hall commands
    only ever closed the county's day)."""
    from portal import scheduled
    from portal.rulebook import service as rules
    with app.app_context():
        db.session.add(HallCalendarDay(hall_id=county["east"], day=WEDNESDAY, kind="closure", name="东街站停电"))
        db.session.commit()
        seen = {hall: (rules.request_hall(), calendar.is_working_day(WEDNESDAY))
                for hall in scheduled.each_hall()}
    assert seen == {county["county"]: (county["county"], True), county["east"]: (county["east"], False),
                    county["west"]: (county["west"], True), county["room"]: (county["room"], False)}


def test_the_attendance_day_close_without_a_hall_closes_every_halls_day(app, county, monkeypatch):
    from portal.attendance import points
    from portal.rulebook import service as rules
    closed = []
    monkeypatch.setattr(points, "close_day", lambda hall, day: closed.append((hall, rules.request_hall())) or [])
    result = app.test_cli_runner().invoke(args=["attendance-close-day", "2026-12-02"])
    assert result.exit_code == 0, result.output
    assert closed == [(h, h) for h in sorted(county.values())]
    missing = app.test_cli_runner().invoke(args=["attendance-close-day", "2026-12-02", "--hall", "999"])
    assert missing.exit_code != 0 and "没有编号为 999 的大厅" in missing.output
