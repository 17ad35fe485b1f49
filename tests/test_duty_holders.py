"""Who holds the desk: one answer for the desk, the roster and the calendar feed, whatever the 替岗."""
import re
from datetime import date

import pytest
from icalendar import Calendar

from portal.auth.models import User
from portal.duty import ics, rotation, service
from portal.duty.models import APPROVED, DutyOverride
from portal.extensions import db
from portal.roles import Role
from tests.conftest import sign_in
from tests.duty_fixtures import TODAY, frozen, leaders, on_duty  # noqa: F401 - pytest fixtures

TOMORROW = date(2026, 11, 26)


def _u(uid):
    return db.session.get(User, uid)


@pytest.fixture
def chained(app, hall, frozen, leaders, on_duty, make_user):
    """zhiban asks 乙 for today and tomorrow (approved), then asks 丁 for today (approved)."""
    c = make_user("zhiban3", Role.DUTY_LEADER, department="office", name="值班长丁")
    on_duty(leaders["zhiban"], TODAY)
    on_duty(leaders["zhiban"], TOMORROW)
    with app.app_context():
        for sub, last in ((leaders["other"], TOMORROW), (c, TODAY)):
            o = rotation.request_override(_u(leaders["zhiban"]), sub, TODAY, last, "")
            db.session.flush()
            rotation.decide(_u(leaders["general"]), o.id, True)
            db.session.commit()
    for uid in (leaders["zhiban"], leaders["other"], c):
        with app.app_context():
            ics.ensure_token(_u(uid))
            db.session.commit()
    return {"a": leaders["zhiban"], "b": leaders["other"], "c": c}


def _feed_days(app, client, uid):
    with app.app_context():
        tok = _u(uid).calendar_token
    cal = Calendar.from_ical(client.get(f"/duty/feed/{tok}.ics").data)
    return {e.decoded("dtstart") for e in cal.walk("VEVENT")}


def _roster_cell(html, day):
    cell = re.search(rf'id="roster-{day.isoformat()}"[^>]*>(.*?)</td>', html, re.S).group(1)
    return re.search(r"<strong>(.*?)</strong>", cell).group(1)


def test_chained_overrides_give_the_desk_the_roster_and_the_feed_one_answer(app, client, hall, chained):
    names = {}
    with app.app_context():
        names = {k: _u(v).name for k, v in chained.items()}
        answer = {d: h.leader.name for d, h in service.holders(hall["hall"], TODAY, TOMORROW).items()}
    assert answer == {TODAY: names["c"], TOMORROW: names["b"]}
    with app.app_context():  # the inbox's id-only answer follows the same chain
        assert [service.holder_id(hall["hall"], d) for d in (TODAY, TOMORROW)] == [chained["c"], chained["b"]]
    sign_in(client, "zongzhiban")
    desk = client.get("/duty/").get_data(as_text=True)
    assert re.search(r'id="duty-holder">(.*?)<', desk).group(1) == answer[TODAY]
    roster = client.get("/duty/roster?month=2026-11").get_data(as_text=True)
    assert {d: _roster_cell(roster, d) for d in answer} == answer
    feeds = {k: _feed_days(app, client, uid) for k, uid in chained.items()}
    assert feeds == {"a": set(), "b": {TOMORROW}, "c": {TODAY}}


def test_second_approved_override_of_the_same_duty_names_the_one_it_supersedes(app, hall, chained):
    with app.app_context():
        first, second = db.session.query(DutyOverride).order_by(DutyOverride.id).all()
        assert second.supersedes_id == first.id and first.supersedes_id is None
        assert first.state == second.state == APPROVED  # the first stays on the record as it was


def test_a_swap_no_longer_applies_once_the_roster_names_someone_else(app, hall, frozen, leaders, on_duty):
    on_duty(leaders["zhiban"], TOMORROW)
    with app.app_context():
        o = rotation.request_override(_u(leaders["zhiban"]), leaders["other"], TOMORROW, TOMORROW, "")
        db.session.flush()
        rotation.decide(_u(leaders["general"]), o.id, True)
        row = service.holder(hall["hall"], TOMORROW).row
        row.leader_id = leaders["general"]
        db.session.commit()
        assert service.holder(hall["hall"], TOMORROW).leader.id == leaders["general"]
        assert service.holder_id(hall["hall"], TOMORROW) == leaders["general"]
        assert service.holder_id(hall["hall"], date(2026, 11, 27)) is None  # no roster row that day
