"""Reminders: given once per item and moment, only in working hours; the daily digest over real SMTP."""
import socket
from datetime import datetime
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select

from portal import clock
from portal.auth.models import User
from portal.extensions import db
from portal.inbox import registry, remind
from portal.inbox.models import InboxDigest, InboxReminder
from tests.conftest import make_station, sign_in
from tests.sitin_fixtures import leader  # noqa: F401 - pytest fixtures


def _run(app, moment):
    clock.freeze(moment)
    with app.test_request_context():
        return remind.run()


def _reminders(app):
    with app.app_context():
        return [(r.kind, r.title, clock.local(r.given_at).strftime("%a %H:%M"))
                for r in db.session.execute(select(InboxReminder).order_by(InboxReminder.id)).scalars()]


def test_remind_run_twice_gives_each_reminder_once(app, leader):
    _run(app, datetime(2026, 11, 27, 9, 0))   # Friday: next week's filing is due at 17:00
    _run(app, datetime(2026, 11, 27, 9, 30))
    assert _reminders(app) == [("due", "坐班未报备", "Fri 09:00")]
    _run(app, datetime(2026, 11, 27, 17, 10))  # now overdue
    _run(app, datetime(2026, 11, 27, 17, 20))
    assert [k for k, _t, _w in _reminders(app)] == ["due", "overdue"]


def test_no_reminder_is_given_at_night(app, leader):
    lines = _run(app, datetime(2026, 11, 27, 22, 0))
    assert "不在工作时间" in lines[0]
    assert _reminders(app) == []


def test_a_station_open_later_than_the_county_is_reminded_in_its_own_hours(app, hall, leader):
    make_station(app, hall["hall"], hours__afternoon_end="18:30")
    _run(app, datetime(2026, 11, 27, 17, 50))  # the county closed at 17:30; the station is open till 18:30
    assert [(k, t) for k, t, _w in _reminders(app)] == [("overdue", "坐班未报备")]
    assert "不在工作时间" in _run(app, datetime(2026, 11, 27, 18, 40))[0]


def test_a_reminder_due_on_saturday_night_is_given_on_monday_morning(app, hall, leader):
    def saturday(person, hall_id, now):
        return [registry.Item(source="test.saturday", title="周六夜间到期", detail="", link="/inbox/",
                              deadline=datetime(2026, 11, 28, 22, 0, tzinfo=clock.hall_tz()),
                              record_type="test", record_id=1)]
    registry.register("test.saturday", saturday, label="测试")
    try:
        _run(app, datetime(2026, 11, 28, 22, 30))
        _run(app, datetime(2026, 11, 29, 10, 0))   # Sunday: the hall is closed
        assert [t for _k, t, _w in _reminders(app)] == []
        _run(app, datetime(2026, 11, 30, 8, 5))
        assert ("overdue", "周六夜间到期", "Mon 08:05") in _reminders(app)
    finally:
        registry._SOURCES.pop("test.saturday")


def test_reminders_show_in_the_inbox(app, client, leader):
    _run(app, datetime(2026, 11, 27, 9, 0))
    sign_in(client, "lingdao")
    page = client.get("/inbox/").get_data(as_text=True)
    assert "提醒记录" in page and "今天到期" in page


class _Inbox:
    """An SMTP handler that keeps what it receives."""

    def __init__(self):
        self.received = []

    async def handle_DATA(self, server, session, envelope):
        self.received.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp_server():
    """A real SMTP server on loopback (aiosmtpd), started for the test."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    handler = _Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield port, handler
    controller.stop()


def test_daily_digest_is_received_by_the_local_smtp_server_once_a_day(app, leader, smtp_server):
    port, handler = smtp_server
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port, SMTP_FROM="halldesk@hall.example",
                      BASE_URL="http://halldesk.hall.example/")
    with app.app_context():
        db.session.get(User, leader).email = "wang@hall.example"
        db.session.commit()
    clock.freeze(datetime(2026, 11, 27, 9, 0))
    runner = app.test_cli_runner()
    assert runner.invoke(args=["remind"]).exit_code == 0
    assert runner.invoke(args=["remind"]).exit_code == 0
    assert len(handler.received) == 1
    envelope = handler.received[0]
    assert envelope.rcpt_tos == ["wang@hall.example"]
    mail = message_from_bytes(envelope.content, policy=policy.default)
    body = mail.get_content()
    assert "待办" in mail["Subject"] and "坐班未报备" in body
    assert "http://halldesk.hall.example/inbox/go/sitin.unfiled" in body
    with app.app_context():
        assert db.session.execute(select(func.count(InboxDigest.id))).scalar() == 1


def test_a_stations_digest_is_sent_in_the_stations_hours(app, hall, leader, smtp_server):
    port, handler = smtp_server
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port, SMTP_FROM="halldesk@hall.example")
    make_station(app, hall["hall"], hours__afternoon_end="18:30")
    with app.app_context():
        db.session.get(User, leader).email = "wang@hall.example"
        db.session.commit()
    clock.freeze(datetime(2026, 11, 27, 17, 50))  # the county closed at 17:30; the station is open
    assert app.test_cli_runner().invoke(args=["remind"]).exit_code == 0
    assert [e.rcpt_tos for e in handler.received] == [["wang@hall.example"]]
