"""The month's 公示 in each unit's inbox, and the year's send-back flags for whoever must decide them."""
from datetime import datetime

from portal.attendance import monthly
from portal.extensions import db
from portal.org.models import Hall
from tests.conftest import sign_in
from tests.inbox_fixtures import sources_of, waiting
from tests.leave_fixtures import people, person  # noqa: F401
from tests.test_attendance_leave_days import later, mapped  # noqa: F401

AFTER = datetime(2026, 12, 8, 10, 0)


def _publish(app, people, person):
    with app.app_context():
        hall = db.session.get(Hall, person(people["admin"]).hall_id)
        row = monthly.publish(hall, 2026, 11, person(people["admin"]))
        return row.id, row.notice_id


def test_the_published_month_waits_in_each_unit_leaders_inbox_until_the_notice_is_opened(
        app, client, later, people, person, mapped):
    assert "attendance.publicity" not in sources_of(app, people["unit"], AFTER)
    month_id, notice_id = _publish(app, people, person)
    assert ("attendance.publicity", "考勤公示待查阅", str(month_id)) in waiting(app, people["unit"], AFTER)
    assert "attendance.publicity" not in sources_of(app, people["clerk"], AFTER), "the unit's leader has it"
    sign_in(client, "unitlead")
    assert client.get(f"/notices/{notice_id}").status_code == 200
    assert "attendance.publicity" not in sources_of(app, people["unit"], AFTER)
