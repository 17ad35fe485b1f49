"""The working-day calendar: weekdays, China's holidays and 调休, the hall's own days, missing years."""
from datetime import date, datetime

from portal import clock
from portal.extensions import db
from portal.roles import Role
from portal.rulebook import calendar
from portal.rulebook.models import CalendarDay
from tests.conftest import token
from tests.querycount import count_queries


def test_national_day_is_off_and_its_make_up_saturday_is_a_working_day(app):
    with app.app_context():
        calendar.import_year(2025)
        assert not calendar.is_working_day(date(2025, 10, 1))      # National Day, a Wednesday
        assert calendar.is_working_day(date(2025, 9, 28))          # make-up Sunday (调休)
        assert calendar.is_working_day(date(2025, 10, 11))         # make-up Saturday
        assert not calendar.is_working_day(date(2025, 10, 12))     # ordinary Sunday
        assert calendar.is_working_day(date(2025, 10, 9))          # ordinary Thursday


def test_working_days_count_over_a_holiday_week(app):
    with app.app_context():
        calendar.import_year(2025)
        days = calendar.working_days(date(2025, 9, 29), date(2025, 10, 12))
        assert days == [date(2025, 9, 29), date(2025, 9, 30), date(2025, 10, 9), date(2025, 10, 10),
                        date(2025, 10, 11)]


def test_hall_closure_and_extra_day_override_the_weekday_rule(app):
    with app.app_context():
        db.session.add_all([CalendarDay(day=date(2026, 12, 2), kind="closure", name="设备检修"),
                            CalendarDay(day=date(2026, 12, 5), kind="extra", name="集中办证日")])
        db.session.commit()
        assert not calendar.is_working_day(date(2026, 12, 2))
        assert calendar.is_working_day(date(2026, 12, 5))


def test_a_year_the_package_does_not_know_never_crashes(app, client, login_as):
    login_as(Role.ADMIN)
    with app.app_context():
        assert calendar.is_working_day(date(2027, 1, 4))           # a Monday: the weekday rule
        assert not calendar.is_working_day(date(2027, 1, 9))
    response = client.get("/admin/calendar?year=2027")
    assert response.status_code == 200
    refused = client.post("/admin/calendar/2027/import", data={"csrf_token": token(client)})
    assert refused.status_code == 409
    assert "尚无 2027 年的节假日安排" in refused.get_data(as_text=True)


def test_admins_are_warned_when_next_years_schedule_is_missing(app, client, login_as):
    clock.freeze(datetime(2026, 11, 23, 9, 0))
    login_as(Role.ADMIN)
    with app.app_context():
        calendar.import_year(2026)
    html = client.get("/").get_data(as_text=True)
    assert "2027 年的法定节假日和调休安排尚未录入" in html
    client.post("/admin/calendar/2027/entered", data={"csrf_token": token(client)})
    assert "2027 年的法定节假日" not in client.get("/").get_data(as_text=True)


def test_admin_adds_a_make_up_day_by_hand(app, client, login_as):
    login_as(Role.ADMIN)
    response = client.post("/admin/calendar/days", headers={"HX-Request": "true"}, data={
        "csrf_token": token(client), "day": "2027-02-20", "kind": "workday", "name": "春节调休"})
    assert response.status_code == 200 and "春节调休" in response.get_data(as_text=True)
    with app.app_context():
        assert calendar.is_working_day(date(2027, 2, 20))   # a Saturday made a working day
    again = client.post("/admin/calendar/days", data={
        "csrf_token": token(client), "day": "2027-02-20", "kind": "holiday", "name": "重复"})
    assert again.status_code == 422 and "这一天已有设置" in again.get_data(as_text=True)
    bad = client.post("/admin/calendar/days", data={"csrf_token": token(client), "day": "2027-02-30",
                                                    "kind": "holiday"})
    assert bad.status_code == 422 and "请选择正确的日期" in bad.get_data(as_text=True)


def test_import_is_idempotent(app):
    with app.app_context():
        first = calendar.import_year(2026)
        assert first > 0
        assert calendar.import_year(2026) == 0


def test_a_day_without_a_name_is_accepted(app, client, login_as):
    login_as(Role.ADMIN)
    response = client.post("/admin/calendar/days", data={"csrf_token": token(client), "day": "2027-03-01",
                                                          "kind": "closure"})
    assert response.status_code == 200
    with app.app_context():
        assert not calendar.is_working_day(date(2027, 3, 1))


def test_a_request_reads_each_year_once_and_sees_its_own_changes(app):
    from tests.querycount import count_queries
    with app.test_request_context("/"), count_queries(app) as statements:
        for start in (date(2026, 12, 1), date(2026, 12, 8), date(2026, 12, 15)):
            calendar.working_days(start, start + date.resolution * 4)
        reads = [s for s in statements if "calendar_day" in s]
        assert len(reads) == 1
        db.session.add(CalendarDay(day=date(2026, 12, 9), kind="closure", name="停电"))
        assert not calendar.is_working_day(date(2026, 12, 9))      # pending row flushed and seen
        db.session.rollback()
        assert calendar.is_working_day(date(2026, 12, 9))          # rolled back: not cached


def test_a_reading_request_takes_the_calendar_from_the_workers_copy_until_it_changes(app):
    """As the rulebook's values: read once per worker for pages that only read; a change here shows at once."""
    app.config["RULEBOOK_CACHE_SECONDS"] = 60
    day = date(2026, 12, 2)

    def ask() -> tuple[bool, int]:
        with app.test_request_context("/"), count_queries(app) as seen:
            working = calendar.is_working_day(day)
        return working, sum("calendar_day" in s for s in seen)

    assert ask() == (True, 1)
    assert ask() == (True, 0), "the second request takes this worker's copy"
    with app.app_context():  # a change made in this worker, outside a request (a command, the editor)
        db.session.add(CalendarDay(day=day, kind="closure", name="设备检修"))
        db.session.commit()
    assert ask() == (False, 1)
    with app.test_request_context("/", method="POST"), count_queries(app) as seen:
        assert not calendar.is_working_day(day)  # a write always reads it afresh
    assert sum("calendar_day" in s for s in seen) == 1
