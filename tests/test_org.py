"""Organisation admin: windows, departments, people, halls — with bad input refused in Chinese."""
from sqlalchemy import func, select

from portal.audit.models import AuditEvent
from portal.auth.models import User
from portal.extensions import db
from portal.org.models import Department, Hall, Window
from portal.roles import Role
from tests.conftest import token

HX = {"HX-Request": "true"}


def test_window_grid_is_a_page_and_a_fragment(client, login_as):
    login_as(Role.ADMIN)
    page = client.get("/admin/windows").get_data(as_text=True)
    assert "<html" in page and 'id="windows-panel"' in page
    fragment = client.get("/admin/windows", headers=HX)
    assert "<html" not in fragment.get_data(as_text=True)
    assert 'id="windows-panel"' in fragment.get_data(as_text=True)
    assert "HX-Request" in fragment.headers.get("Vary", "")


def test_windows_are_listed_by_number(app, client, login_as, hall):
    login_as(Role.ADMIN)
    with app.app_context():
        db.session.add(Window(hall_id=hall["hall"], number=10, name="十号窗口", department_id=hall["tax"]))
        db.session.commit()
    html = client.get("/admin/windows").get_data(as_text=True)
    assert html.index("税务综合窗口") < html.index("户籍窗口") < html.index("十号窗口")


def test_adding_a_window_through_htmx_returns_the_grid_with_it(app, client, login_as, hall):
    login_as(Role.ADMIN)
    response = client.post("/admin/windows/new", headers=HX, data={
        "csrf_token": token(client), "number": "12", "name": "医保窗口", "department_id": hall["tax"],
        "a_post_id": "0", "b_post_id": "0", "zone_office_id": hall["office"]})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "医保窗口" in html and "<html" not in html
    assert response.headers["HX-Push-Url"] == "/admin/windows"
    with app.app_context():
        window = db.session.execute(select(Window).where(Window.number == 12)).scalar_one()
        assert window.zone_office_id == hall["office"]
        assert db.session.execute(select(AuditEvent).where(AuditEvent.event == "window.create")).scalar()


def test_duplicate_window_number_is_refused_in_chinese_and_nothing_saved(app, client, login_as, hall):
    login_as(Role.ADMIN)
    response = client.post("/admin/windows/new", data={
        "csrf_token": token(client), "number": "1", "name": "重复", "department_id": hall["tax"],
        "a_post_id": "0", "b_post_id": "0", "zone_office_id": "0"})
    assert response.status_code == 422
    assert "这个窗口编号已经存在" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(select(func.count(Window.id))).scalar_one() == 2


def test_a_post_and_b_post_must_be_different_people(app, client, login_as, make_user, hall):
    login_as(Role.ADMIN)
    clerk = make_user("clerk", Role.STAFF)
    response = client.post("/admin/windows/new", data={
        "csrf_token": token(client), "number": "5", "name": "五号", "department_id": hall["tax"],
        "a_post_id": clerk, "b_post_id": clerk, "zone_office_id": "0"})
    assert response.status_code == 422
    assert "A 岗和 B 岗不能是同一个人" in response.get_data(as_text=True)


def test_window_number_must_be_a_positive_number(client, login_as, hall):
    login_as(Role.ADMIN)
    for bad in ("abc", "0", "-3", ""):
        response = client.post("/admin/windows/new", data={
            "csrf_token": token(client), "number": bad, "name": "窗口", "department_id": hall["tax"]})
        assert response.status_code == 422
        assert "窗口编号" in response.get_data(as_text=True)


def test_deactivating_a_window_hides_it_but_keeps_the_record(app, client, login_as, hall):
    login_as(Role.ADMIN)
    with app.app_context():
        wid = db.session.execute(select(Window.id).where(Window.number == 2)).scalar_one()
    client.post(f"/admin/windows/{wid}/active", data={"csrf_token": token(client)})
    assert "户籍窗口" not in client.get("/admin/windows").get_data(as_text=True)
    assert "户籍窗口" in client.get("/admin/windows?all=1").get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Window, wid).active is False


def test_admin_cannot_edit_a_window_of_another_hall(app, client, login_as, hall):
    login_as(Role.ADMIN)
    with app.app_context():
        other = Hall(name="别的大厅")
        db.session.add(other)
        db.session.flush()
        dept = Department(hall_id=other.id, name="外厅部门")
        db.session.add(dept)
        db.session.flush()
        window = Window(hall_id=other.id, number=1, name="外厅窗口", department_id=dept.id)
        db.session.add(window)
        db.session.commit()
        wid = window.id
    assert client.get(f"/admin/windows/{wid}/edit").status_code == 404
    response = client.post(f"/admin/windows/{wid}/edit", data={
        "csrf_token": token(client), "number": "9", "name": "改名", "department_id": hall["tax"]})
    assert response.status_code == 404
    with app.app_context():
        assert db.session.get(Window, wid).name == "外厅窗口"


def test_new_person_gets_a_one_time_password_that_must_be_changed(app, client, login_as, hall):
    login_as(Role.ADMIN)
    response = client.post("/admin/people/new", data={
        "csrf_token": token(client), "name": "王小明", "login": "wangxm", "phone": "13800001234",
        "department_id": hall["tax"], "window_id": "0", "roles": ["staff"]})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "一次性密码" in html
    with app.app_context():
        person = db.session.execute(select(User).where(User.login == "wangxm")).scalar_one()
        assert person.must_change_password and person.roles == {Role.STAFF}


def test_person_form_refuses_bad_login_phone_and_no_role(client, login_as, hall):
    login_as(Role.ADMIN)
    response = client.post("/admin/people/new", data={
        "csrf_token": token(client), "name": "", "login": "a b", "phone": "12345",
        "department_id": "0", "window_id": "0"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    for message in ("请填写姓名", "登录名只能包含", "请填写 11 位手机号", "请至少选择一个角色"):
        assert message in html


def test_duplicate_login_is_refused(app, client, login_as, make_user, hall):
    login_as(Role.ADMIN)
    make_user("taken", Role.STAFF)
    response = client.post("/admin/people/new", data={
        "csrf_token": token(client), "name": "重名", "login": "taken", "department_id": "0",
        "window_id": "0", "roles": ["staff"]})
    assert response.status_code == 422
    assert "这个登录名已被使用" in response.get_data(as_text=True)


def test_audit_administrator_cannot_hold_another_role(app, client, login_as, hall):
    login_as(Role.ADMIN)
    response = client.post("/admin/people/new", data={
        "csrf_token": token(client), "name": "审计", "login": "audit2", "department_id": "0",
        "window_id": "0", "roles": ["auditor", "admin"]})
    assert response.status_code == 422
    assert "三权分立" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(select(User).where(User.login == "audit2")).scalar() is None


def test_admin_cannot_remove_own_admin_role(app, client, login_as, hall):
    uid = login_as(Role.ADMIN)
    response = client.post(f"/admin/people/{uid}/edit", data={
        "csrf_token": token(client), "name": "我", "login": "admin1", "department_id": "0",
        "window_id": "0", "roles": ["staff"]})
    assert response.status_code == 422
    with app.app_context():
        assert Role.ADMIN in db.session.get(User, uid).roles


def test_role_change_is_audited_with_before_and_after(app, client, login_as, make_user, hall):
    login_as(Role.ADMIN)
    pid = make_user("promote", Role.STAFF)
    client.post(f"/admin/people/{pid}/edit", data={
        "csrf_token": token(client), "name": "被提升", "login": "promote", "department_id": "0",
        "window_id": "0", "roles": ["staff", "duty_leader"]})
    with app.app_context():
        event = db.session.execute(select(AuditEvent).where(AuditEvent.event == "user.roles_change")).scalar_one()
        assert "duty_leader" in event.detail and event.user_login == "admin1"


def test_department_name_is_required_and_unique(app, client, login_as, hall):
    login_as(Role.ADMIN)
    empty = client.post("/admin/departments/new", data={"csrf_token": token(client), "name": " ",
                                                         "kind": "window_unit", "sort_order": "0"})
    assert empty.status_code == 422 and "请填写部门名称" in empty.get_data(as_text=True)
    dup = client.post("/admin/departments/new", data={"csrf_token": token(client), "name": "税务局",
                                                       "kind": "window_unit", "sort_order": "0"})
    assert dup.status_code == 422 and "已有同名部门" in dup.get_data(as_text=True)


def test_township_station_sits_under_the_county_hall(app, client, login_as, hall):
    login_as(Role.ADMIN)
    response = client.post("/admin/halls/new", data={
        "csrf_token": token(client), "name": "城关镇便民服务中心", "level": "township",
        "parent_id": hall["hall"], "address": "", "phone": ""})
    assert response.status_code in (200, 302)
    with app.app_context():
        station = db.session.execute(select(Hall).where(Hall.name == "城关镇便民服务中心")).scalar_one()
        assert station.parent_id == hall["hall"] and station.level_label == "乡镇"


def test_a_hall_cannot_be_placed_under_its_own_station(app, client, login_as, hall):
    login_as(Role.ADMIN)
    with app.app_context():
        station = Hall(name="镇站", level="township", parent_id=hall["hall"])
        village = Hall(name="村站", level="village")
        db.session.add_all([station, village])
        db.session.flush()
        village.parent_id = station.id
        db.session.commit()
        sid, vid = station.id, village.id
    response = client.post(f"/admin/halls/{sid}/edit", data={
        "csrf_token": token(client), "name": "镇站", "level": "township", "parent_id": vid,
        "address": "", "phone": ""})
    assert response.status_code == 422
    with app.app_context():
        assert db.session.get(Hall, sid).parent_id == hall["hall"]


def test_password_reset_from_a_searched_list_keeps_the_search(client, login_as, make_user):
    login_as(Role.ADMIN)
    target = make_user("wangwu", Role.STAFF, name="王五")
    make_user("zhaoliu", Role.STAFF, name="赵六")
    listed = client.get("/admin/people?q=wangwu", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert f"/admin/people/{target}/reset?q=wangwu" in listed
    response = client.post(f"/admin/people/{target}/reset?q=wangwu", data={"csrf_token": token(client)},
                           headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "一次性密码" in html
    assert "王五" in html and "赵六" not in html and 'value="wangwu"' in html


def test_saving_a_person_from_a_searched_list_puts_the_list_and_its_search_in_the_address(client, login_as,
                                                                                          make_user):
    login_as(Role.ADMIN)
    target = make_user("wangwu", Role.STAFF, name="王五")
    page = client.get("/admin/people?q=wangwu&department=")
    assert 'name="q" value="wangwu"' in page.get_data(as_text=True)  # a plain URL opens the searched list
    response = client.post(f"/admin/people/{target}/edit?q=wangwu", headers={"HX-Request": "true"}, data={
        "csrf_token": token(client), "name": "王五", "login": "wangwu", "department_id": "0", "window_id": "0",
        "roles": ["staff"]})
    assert response.status_code == 200 and "已保存 王五" in response.get_data(as_text=True)
    assert response.headers["HX-Replace-Url"] == "/admin/people?q=wangwu"
    failed = client.post(f"/admin/people/{target}/edit?q=wangwu", headers={"HX-Request": "true"}, data={
        "csrf_token": token(client), "name": "", "login": "wangwu", "department_id": "0", "window_id": "0"})
    assert failed.status_code == 422 and "HX-Replace-Url" not in failed.headers  # the form stays open
