"""Factory fixtures for the attendance tests: a frozen clock, mapped device ids, sample punch files."""
import io
from datetime import datetime

import pytest

from portal import clock
from portal.attendance.models import DeviceUser
from portal.extensions import db
from portal.roles import Role
from tests.conftest import csrf_from, frozen_clock

frozen = frozen_clock(datetime(2026, 12, 1, 9, 0))  # the first of the month after the punches

# A plain week of November 2026: Monday the 2nd to Friday the 6th; the 7th is a Saturday.
ZKTECO_DAT = (
    b"   1001\t2026-11-02 07:58:11\t1\t0\t1\t0\r\n"
    b"   1001\t2026-11-02 12:01:40\t1\t1\t1\t0\r\n"
    b"   1002\t2026-11-02 08:41:05\t15\t0\t1\t0\r\n"
    b"   9999\t2026-11-02 08:00:00\t1\t0\t1\t0\r\n"
    b"   1001\t2026-11-07 09:00:00\t1\t0\t1\t0\r\n"
    b"   1001\t2026-11-0x 09:00\t1\t0\t1\t0\r\n"
    b"   1001\t2026-11-02 07:58:11\t1\t0\t1\t0\r\n"
    b"\r\n"
)


@pytest.fixture
def clerks(app, hall, make_user):
    """Two clerks whose ZKTeco ids (1001, 1002) and DingTalk numbers (D01, D02) are already mapped."""
    ids = {"zhang": make_user("zhang", Role.STAFF, name="张三"), "li": make_user("li", Role.STAFF, name="李四")}
    with app.app_context():
        for source, pins in (("zkteco", ("1001", "1002")), ("dingtalk", ("D01", "D02")),
                             ("zk_desktop", ("1", "2")), ("generic", ("A1", "A2"))):
            for pin, uid in zip(pins, ids.values(), strict=True):
                db.session.add(DeviceUser(hall_id=hall["hall"], source=source, device_user_id=pin, user_id=uid,
                                          mapped_at=clock.now()))
        db.session.commit()
    return ids


@pytest.fixture
def upload(client):
    """Return a function that uploads a file with a profile and follows to its preview page."""
    def send(data: bytes, name: str, profile: str):
        csrf = csrf_from(client.get("/attendance/import").get_data(as_text=True))
        return client.post("/attendance/import", data={"csrf_token": csrf, "profile": profile,
                                                       "file": (io.BytesIO(data), name)},
                           content_type="multipart/form-data", follow_redirects=True)
    return send


__all__ = ["frozen", "clerks", "upload", "ZKTECO_DAT"]
