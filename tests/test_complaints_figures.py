"""Monthly complaint figures: received, accepted in time, returned, replied in time, overdue days, verified,
callback satisfaction, by unit, channel and kind."""
from datetime import datetime

from portal.complaints import figures, handling, service
from portal.extensions import db
from tests.complaints_fixtures import at, new_case, people, person  # noqa: F401
from tests.conftest import sign_in


def _month(app, hall, people, new_case):
    on_time = new_case("enquiry")
    service.send(person(people["duty"]), on_time, hall["police"])
    service.give_back(person(people["police"]), on_time, "职责清单第二条", "不属于户政业务")
    service.send(person(people["duty"]), on_time, hall["tax"])
    leader = person(people["leader"])
    service.accept(leader, on_time)
    handling.verify(leader, on_time, "true", "属实", people["clerk"])
    handling.reply(leader, on_time, "已整改")
    handling.callback(person(people["duty"]), on_time, "satisfied")
    late = new_case("urgent", channel="hotline")
    service.send(person(people["duty"]), late, hall["tax"])
    at(datetime(2026, 12, 4, 9, 0))
    service.accept(leader, late)
    at(datetime(2026, 12, 8, 9, 0))  # three working days overdue (Friday, Monday, Tuesday)
    db.session.commit()


def test_figures_by_unit_count_returns_timeliness_overdue_days_and_satisfaction(app, hall, people, new_case):
    with app.app_context():
        _month(app, hall, people, new_case)
        rows = {r.label: r for r in figures.month(hall["hall"], 2026, 12, "unit")}
        tax = rows["税务局"]
        assert (tax.received, tax.accepted_in_time, tax.returned, tax.replied_in_time) == (2, 1, 1, 1)
        assert (tax.overdue_days, tax.verified, tax.callbacks, tax.satisfaction) == (3, 1, 1, "100%")
        assert rows["合计"].received == 2


def test_figures_by_channel_and_kind(app, hall, people, new_case):
    with app.app_context():
        _month(app, hall, people, new_case)
        assert {r.label for r in figures.month(hall["hall"], 2026, 12, "channel")} == {"在场", "12345", "合计"}
        assert {r.label for r in figures.month(hall["hall"], 2026, 12, "kind")} == {"咨询", "紧急", "合计"}


def test_figures_page_opens_for_the_center(app, client, hall, people, new_case):
    with app.app_context():
        _month(app, hall, people, new_case)
    sign_in(client, "center")
    html = client.get("/complaints/figures?month=2026-12&by=kind").get_data(as_text=True)
    assert "投诉统计" in html and "紧急" in html
