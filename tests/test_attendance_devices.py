"""Device user ids (考勤号): unmapped ones are listed with their punches kept, and mapped to a person once."""
from sqlalchemy import select

from portal.attendance import formats
from portal.attendance.models import DeviceUser
from portal.extensions import db
from portal.imports.models import ImportPreview
from portal.roles import Role
from tests.attendance_fixtures import ZKTECO_DAT, clerks, frozen, upload  # noqa: F401
from tests.conftest import csrf_from


def _import(client, app, upload):
    upload(ZKTECO_DAT, "1_attlog.dat", formats.ZKTECO)
    with app.app_context():
        token = db.session.execute(select(ImportPreview.token)).scalar_one()
    csrf = csrf_from(client.get(f"/attendance/import/{token}").get_data(as_text=True))
    client.post(f"/attendance/import/{token}/confirm", data={"csrf_token": csrf})
    return csrf


def test_an_unmapped_device_id_is_listed_with_its_punches_until_it_is_mapped_once(app, client, login_as, clerks,
                                                                                  frozen, upload):
    login_as(Role.ADMIN)
    csrf = _import(client, app, upload)
    html = client.get("/attendance/device-users").get_data(as_text=True)
    assert "9999" in html and "1 次" in html
    form = {"csrf_token": csrf, "source": "zkteco", "device_user_id": "9999", "user_id": str(clerks["li"])}
    done = client.post("/attendance/device-users/map", data=form, follow_redirects=True)
    assert "考勤号 9999 已对应到李四" in done.get_data(as_text=True)
    assert "所有打卡的考勤号都已对应到人员" in done.get_data(as_text=True)
    again = client.post("/attendance/device-users/map", data={**form, "user_id": str(clerks["zhang"])})
    assert again.status_code == 409 and "已对应到李四" in again.get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(select(DeviceUser).filter_by(device_user_id="9999")).scalar_one().user_id \
            == clerks["li"]


def test_a_device_id_cannot_be_mapped_to_a_person_of_another_hall(app, client, login_as, clerks, frozen, upload):
    from portal.auth.models import User
    from portal.org.models import Hall
    login_as(Role.ADMIN)
    csrf = _import(client, app, upload)
    with app.app_context():
        other = Hall(name="别的大厅", level="county")
        db.session.add(other)
        db.session.flush()
        stranger = User(hall_id=other.id, name="外人", login="stranger")
        db.session.add(stranger)
        db.session.commit()
        stranger_id = stranger.id
    response = client.post("/attendance/device-users/map", data={
        "csrf_token": csrf, "source": "zkteco", "device_user_id": "9999", "user_id": str(stranger_id)})
    assert response.status_code == 422 and "请选择本大厅的人员" in response.get_data(as_text=True)
