"""A change to the working-day calendar shows the roster days it affects; the admin re-plans from that day."""
from datetime import date

import pytest

from portal.audit.models import AuditEvent
from portal.duty import replan, rotation
from portal.duty.models import DutyDay
from portal.extensions import db
from portal.roles import Role
from portal.rulebook.models import CalendarDay
from tests.conftest import token
from tests.duty_fixtures import TODAY, frozen, leaders  # noqa: F401 - pytest fixtures

HOLIDAY = date(2026, 12, 2)
HX = {"HX-Request": "true"}


@pytest.fixture
def roster(app, hall, frozen, leaders, make_user):
    """Three leaders in order, laid over today to 12-11: 11-25 甲, 11-26 乙, 11-27 丁, ... 12-02 丁."""
    c = make_user("zhiban3", Role.DUTY_LEADER, department="office", name="值班长丁")
    with app.app_context():
        rotation.set_order(hall["hall"], [leaders["zhiban"], leaders["other"], c])
        rotation.generate(hall["hall"], TODAY, date(2026, 12, 11), leaders["general"])
        db.session.commit()
        return _days(hall)


def _days(hall):
    return {r.day: r.leader.name for r in db.session.query(DutyDay).filter_by(hall_id=hall["hall"])}


def test_entering_a_holiday_shows_the_roster_day_it_leaves_someone_on_duty(app, client, hall, roster, login_as):
    login_as(Role.ADMIN)
    csrf = token(client, "/admin/calendar")
    page = client.post("/admin/calendar/days", headers=HX,
                       data={"csrf_token": csrf, "day": "2026-12-02", "kind": "holiday", "name": "测试假日"})
    assert page.status_code == 200 and "/duty/replan?since=2026-12-02" in page.get_data(as_text=True)
    shown = client.get("/duty/replan?since=2026-12-02", headers=HX).get_data(as_text=True)
    assert 'id="replan-closed"' in shown and "12月02日" in shown and "测试假日" in shown
    assert roster[HOLIDAY] in shown and "<html" not in shown


def test_replanning_from_the_holiday_moves_the_rotation_on_and_is_audited(app, client, hall, roster, login_as):
    login_as(Role.ADMIN)
    with app.app_context():
        db.session.add(CalendarDay(day=HOLIDAY, kind="holiday", name="测试假日", source="admin"))
        db.session.commit()
    csrf = token(client, "/duty/replan")
    answer = client.post("/duty/replan?since=2026-12-02", headers=HX, data={"csrf_token": csrf})
    assert answer.status_code == 200 and "已重新排班" in answer.get_data(as_text=True)
    with app.app_context():
        after = _days(hall)
        assert HOLIDAY not in after
        assert after[date(2026, 12, 3)] == roster[HOLIDAY]  # the leader of the holiday takes the next working day
        assert {d: n for d, n in after.items() if d < HOLIDAY} == {d: n for d, n in roster.items() if d < HOLIDAY}
        assert db.session.query(AuditEvent).filter_by(event="duty.replan").count() == 1
        assert not replan.impact(hall["hall"]).any


def test_a_day_whose_duty_has_begun_never_moves(app, hall, roster, leaders):
    with app.app_context():
        db.session.add(CalendarDay(day=TODAY, kind="closure", name="临时闭厅", source="admin"))
        db.session.commit()
        found = replan.impact(hall["hall"], date(2026, 11, 1))
        assert found.since == date(2026, 11, 26) and TODAY not in [r.day for r in found.closed]
        replan.replan(hall["hall"], date(2026, 11, 1))
        db.session.commit()
        assert _days(hall)[TODAY] == roster[TODAY]
