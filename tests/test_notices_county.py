"""A county notice (本级及下属各站) reaches every station's board; its must-read receipts count per station."""
import pytest

from portal.auth import passwords
from portal.auth.models import User
from portal.extensions import db
from portal.notices import board, service
from portal.notices.models import Notice
from portal.org.models import Hall
from portal.roles import Role
from tests.conftest import PASSWORD, csrf_from, sign_in
from tests.notices_fixtures import frozen, make_notice, office_admin  # noqa: F401


@pytest.fixture
def stations(app, hall):
    with app.app_context():
        east = Hall(name="东街便民服务站", level="township", parent_id=hall["hall"])
        db.session.add(east)
        db.session.flush()
        room = Hall(name="东街社区便民服务室", level="village", parent_id=east.id)
        other = Hall(name="邻县政务服务中心", level="county")
        db.session.add_all([room, other])
        db.session.commit()
        return {"east": east.id, "room": room.id, "other": other.id}


def _person(app, login, hall_id, role=Role.STAFF):
    with app.app_context():
        user = User(hall_id=hall_id, name=login, login=login)
        user.set_roles([role])
        passwords.set_password(user, PASSWORD, must_change=False)
        db.session.add(user)
        db.session.commit()
        return user.id


def test_a_county_notice_reaches_every_stations_board_and_its_receipts_count_per_station(
        app, frozen, stations, make_notice):
    notice_id = make_notice("关于全县便民服务站统一着装的通知", audience="county", must_read=True)
    own = make_notice("东街站内部通知", audience="staff")
    east = _person(app, "dongjie", stations["east"])
    room = _person(app, "shequ", stations["room"])
    far = _person(app, "linxian", stations["other"])
    client = app.test_client()
    assert sign_in(client, "dongjie").status_code == 302
    page = client.get("/notices/").get_data(as_text=True)
    assert "统一着装" in page and "东街站内部通知" not in page
    csrf = csrf_from(client.get(f"/notices/{notice_id}").get_data(as_text=True))
    assert client.post(f"/notices/{notice_id}/ack", data={"csrf_token": csrf}).status_code == 200
    with app.app_context():
        people = {i: db.session.get(User, i) for i in (east, room, far)}
        assert [n.id for n in board.unread_must_read(people[room])] == [notice_id]
        assert board.unread_must_read(people[far]) == [] and board.unread_count(people[far]) == 0
        groups = {g.name: (len(g.done), len(g.pending)) for g in board.receipts(db.session.get(Notice, notice_id))}
        assert groups["东街便民服务站"] == (1, 0) and groups["东街社区便民服务室"] == (0, 1)
        assert "邻县政务服务中心" not in groups
        assert not service.in_audience(people[east], db.session.get(Notice, own))


def test_a_stations_staff_cannot_open_another_countys_notice(app, frozen, stations, make_notice):
    notice_id = make_notice("县级通知", audience="county")
    _person(app, "linxian2", stations["other"])
    client = app.test_client()
    sign_in(client, "linxian2")
    assert client.get(f"/notices/{notice_id}").status_code == 404
