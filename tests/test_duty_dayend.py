"""The day ends: an unreturned short leave is closed as overrun, charged once, and tomorrow starts clean."""
import re
from datetime import date, datetime

from portal.duty import leave
from portal.duty.models import ShortLeave
from portal.extensions import db
from portal.scores.models import ScoreEvent
from tests.conftest import sign_in
from tests.duty_fixtures import as_user, frozen, leaders, on_duty, staffed  # noqa: F401 - pytest fixtures

TOMORROW = date(2026, 11, 26)


def _out_and_forgotten(app, leaders, staffed):
    with app.app_context():
        leave.grant(as_user(app, leaders["zhiban"]), staffed["a"], 30, "到银行办理业务")
        db.session.commit()


def test_unreturned_short_leave_is_closed_as_overrun_at_day_end(app, frozen, leaders, on_duty, staffed):
    on_duty()
    _out_and_forgotten(app, leaders, staffed)
    frozen(datetime(2026, 11, 25, 22, 0))
    runner = app.test_cli_runner()
    outputs = [runner.invoke(args=["close-day", "2026-11-25"]) for _ in range(3)]
    assert all(r.exit_code == 0 for r in outputs), outputs[0].output
    assert "按超假处理" in outputs[0].output and "按超假处理" not in outputs[1].output
    with app.app_context():
        slip = db.session.query(ShortLeave).one()
        assert slip.closed_at is not None and slip.returned_at is None and leave.is_overdue(slip)
        events = db.session.query(ScoreEvent).filter_by(source="attendance").order_by(ScoreEvent.id).all()
        assert [(e.subject_user_id, e.points) for e in events] == [(staffed["a"], -2), (None, -1)]
        assert events[1].department_id == as_user(app, staffed["a"]).department_id


def test_tomorrows_desk_starts_clean_after_the_day_end(app, client, frozen, leaders, on_duty, staffed):
    on_duty()
    on_duty(leaders["zhiban"], TOMORROW)
    _out_and_forgotten(app, leaders, staffed)
    frozen(datetime(2026, 11, 25, 22, 0))
    assert app.test_cli_runner().invoke(args=["close-day"]).exit_code == 0
    frozen(datetime(2026, 11, 26, 9, 0))
    sign_in(client, "zhiban")
    html = client.get("/duty/").get_data(as_text=True)
    assert "超时" not in html and 'id="duty-out"' not in html
    first = re.search(r'<a class="wcell wcell-(\w+)"[^>]*><strong>1</strong>', html).group(1)
    assert first == "staffed"
    assert "没有外出未返回的人员" in client.get("/duty/leave").get_data(as_text=True)
