"""ZKTeco push (ADMS): a real HTTP client against the running portal, as a terminal would call it."""
import http.client
import urllib.parse

import pytest
from sqlalchemy import select

from portal import clock
from portal.attendance import adms
from portal.attendance.models import AttendanceDevice, DeviceContact, Punch
from portal.audit.models import AuditEvent
from portal.extensions import db
from portal.refusals import Refusal
from portal.roles import Role
from tests.attendance_fixtures import clerks, frozen  # noqa: F401
from tests.browser.conftest import live_server  # noqa: F401
from tests.conftest import csrf_from

SN = "CDQ9191960003"
ATTLOG = (b"1001\t2026-11-02 07:58:11\t0\t1\t0\t0\t0\n"
          b"9999\t2026-11-02 08:02:00\t0\t15\t0\t0\t0\n"
          b"1002\tgarbage\t0\t1\t0\t0\t0\n")


def call(base, method, path, body=None, **query):
    url = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    conn.request(method, f"{path}?{urllib.parse.urlencode(query)}", body=body,
                 headers={"Content-Type": "text/plain"} if body is not None else {})
    response = conn.getresponse()
    text = response.read().decode()
    conn.close()
    return response.status, text


@pytest.fixture
def device(app, hall):
    with app.app_context():
        found = AttendanceDevice(hall_id=hall["hall"], serial=SN, name="大厅一号机",
                                 field_order="pin,datetime,direction,verify,skip,skip", registered_at=clock.now())
        db.session.add(found)
        db.session.commit()
        return found.id


def test_a_registered_device_handshakes_pushes_punches_and_beats(app, live_server, device, clerks, frozen):
    status, text = call(live_server, "GET", "/iclock/cdata", SN=SN, options="all")
    assert status == 200 and text.startswith(f"GET OPTION FROM: {SN}")
    status, text = call(live_server, "POST", "/iclock/cdata", ATTLOG, SN=SN, table="ATTLOG", Stamp="1")
    assert (status, text) == (200, "OK: 3")
    assert call(live_server, "GET", "/iclock/getrequest", SN=SN) == (200, "OK")
    with app.app_context():
        punches = db.session.execute(select(Punch).order_by(Punch.device_user_id)).scalars().all()
        assert [(p.device_user_id, p.direction, p.device) for p in punches] == [("1001", "in", SN), ("9999", "in", SN)]
        assert db.session.get(DeviceContact, device).pushed == 2
        unreadable = db.session.execute(select(AuditEvent).filter_by(event="attendance.push_unreadable")).scalar_one()
        assert "读不出打卡时间“garbage”" in unreadable.detail, "an unreadable pushed line is never dropped silently"


def test_pushing_the_same_punches_again_adds_nothing(app, live_server, device, clerks, frozen):
    call(live_server, "POST", "/iclock/cdata", ATTLOG, SN=SN, table="ATTLOG")
    assert call(live_server, "POST", "/iclock/cdata", ATTLOG, SN=SN, table="ATTLOG")[0] == 200
    with app.app_context():
        assert len(db.session.execute(select(Punch.id)).all()) == 2


def test_an_unregistered_device_is_refused_and_audited(app, live_server, device, frozen):
    assert call(live_server, "POST", "/iclock/cdata", ATTLOG, SN="ROGUE-1", table="ATTLOG")[0] == 403
    assert call(live_server, "GET", "/iclock/getrequest", SN="ROGUE-1")[0] == 403
    with app.app_context():
        refused = db.session.execute(select(AuditEvent).filter_by(event="attendance.device_refused")).scalars().all()
        assert len(refused) == 2 and refused[0].object_id == "ROGUE-1" and refused[0].result == "denied"
        assert db.session.execute(select(Punch.id)).first() is None


def test_the_field_order_is_set_per_device(app, live_server, hall, clerks, frozen):
    with app.app_context():
        db.session.add(AttendanceDevice(hall_id=hall["hall"], serial="OTHER-FW",
                                        field_order="pin,datetime,verify,direction", registered_at=clock.now()))
        db.session.commit()
    call(live_server, "POST", "/iclock/cdata", b"1001\t2026-11-02 17:31:00\t1\t1\n", SN="OTHER-FW", table="ATTLOG")
    with app.app_context():
        assert db.session.execute(select(Punch.direction)).scalar_one() == "out"


def test_a_device_not_heard_from_since_opening_is_silent(app, device, hall, frozen):
    with app.app_context():
        assert [d.serial for d in adms.silent_since(hall["hall"], clock.now())] == [SN]
        adms.heard(db.session.get(AttendanceDevice, device))
        db.session.commit()
        assert adms.silent_since(hall["hall"], clock.now()) == []


def test_an_admin_registers_a_device_and_a_bad_field_order_is_refused(app, client, login_as, frozen):
    login_as(Role.ADMIN)
    csrf = csrf_from(client.get("/attendance/devices").get_data(as_text=True))
    bad = client.post("/attendance/devices", data={"csrf_token": csrf, "serial": "NEW-1", "name": "",
                                                   "field_order": "datetime,status"})
    assert bad.status_code == 422 and "不认识的字段：status" in bad.get_data(as_text=True)
    done = client.post("/attendance/devices", data={"csrf_token": csrf, "serial": "NEW-1", "name": "二楼",
                                                    "field_order": adms.DEFAULT_ORDER}, follow_redirects=True)
    assert "已登记设备 NEW-1" in done.get_data(as_text=True) and "从未联系" in done.get_data(as_text=True)
    with app.app_context(), pytest.raises(Refusal, match="已经登记"):
        adms.register(1, "NEW-1", "", adms.DEFAULT_ORDER, None)


def test_a_push_that_is_not_punch_lines_is_refused_not_half_read(app, live_server, device, frozen):
    status, _text = call(live_server, "POST", "/iclock/cdata", b"PK\x03\x04binary", SN=SN, table="ATTLOG")
    assert status == 400
