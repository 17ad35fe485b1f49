"""Attendance in the inbox: unmapped device ids wait for the admin until mapped; a silent device is urgent."""
from datetime import datetime

from portal import clock
from portal.attendance import adms, devices
from portal.attendance.models import AttendanceDevice, Punch
from portal.auth.models import User
from portal.extensions import db
from portal.roles import Role
from tests.inbox_fixtures import sources_of, waiting

MONDAY_TEN = datetime(2026, 11, 30, 10, 0)


def test_unmapped_punches_wait_for_the_admin_until_the_id_is_mapped(app, hall, make_user):
    admin = make_user("guanli", Role.ADMIN, department="office")
    clerk = make_user("zhang", Role.STAFF)
    with app.app_context():
        db.session.add(Punch(hall_id=hall["hall"], key="zkteco:42:x", source="zkteco", device_user_id="42",
                             day=MONDAY_TEN.date(), punched_at=MONDAY_TEN))
        db.session.commit()
    assert ("attendance.unmapped", "考勤号未对应到人员", "unmapped") in waiting(app, admin, MONDAY_TEN)
    assert "attendance.unmapped" not in sources_of(app, clerk, MONDAY_TEN)
    with app.test_request_context():
        devices.map_id(hall["hall"], "zkteco", "42", clerk, db.session.get(User, admin))
    assert "attendance.unmapped" not in sources_of(app, admin, MONDAY_TEN)


def test_a_device_silent_since_opening_is_urgent_for_the_admin_until_it_calls(app, hall, make_user):
    admin = make_user("guanli", Role.ADMIN, department="office")
    with app.app_context():
        device = AttendanceDevice(hall_id=hall["hall"], serial="SN-SILENT", field_order="pin,datetime",
                                  registered_at=clock.now())
        db.session.add(device)
        db.session.commit()
        device_id = device.id
    assert "attendance.silent" not in sources_of(app, admin, datetime(2026, 11, 30, 7, 0)), "before opening"
    assert ("attendance.silent", "考勤机未联系", str(device_id)) in waiting(app, admin, MONDAY_TEN)
    with app.app_context():
        adms.heard(db.session.get(AttendanceDevice, device_id))
        db.session.commit()
    assert "attendance.silent" not in sources_of(app, admin, MONDAY_TEN)
