"""Personal data is masked wherever it is listed or exported; revealing it is allowed to admins and audited."""
import pytest
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.auth.models import User
from portal.extensions import db
from portal.org.models import Hall, Window
from portal.privacy.service import mask_id_number, mask_name, mask_phone
from portal.roles import Role
from tests.conftest import token
from tests.pdftools import pdf_text

PHONE = "13812345678"


@pytest.mark.parametrize("name, masked", [("张三", "张*"), ("张小明", "张*明"), ("欧阳小明", "欧**明"),
                                          ("李", "李"), ("", "")])
def test_names_keep_the_first_and_last_character(name, masked):
    assert mask_name(name) == masked


def test_name_can_be_masked_to_the_surname_only():
    assert mask_name("张小明", keep_last=False) == "张**"


@pytest.mark.parametrize("phone, masked", [(PHONE, "138****5678"), ("0931-5550000", "093*-***0000"),
                                           ("12345", "*****"), ("", "")])
def test_phone_numbers_keep_the_first_three_and_last_four_digits(phone, masked):
    assert mask_phone(phone) == masked


def test_id_numbers_keep_only_the_last_four():
    assert mask_id_number("62010219900101123X") == "*" * 14 + "123X"


def _events(app, name):
    with app.app_context():
        return db.session.execute(select(AuditEvent).where(AuditEvent.event == name)).scalars().all()


def test_people_list_shows_phone_numbers_masked(client, login_as, make_user):
    login_as(Role.ADMIN)
    make_user("clerk", Role.STAFF, phone=PHONE)
    html = client.get("/admin/people").get_data(as_text=True)
    assert "138****5678" in html and PHONE not in html


def test_admin_reveals_a_phone_number_and_the_reveal_is_audited(app, client, login_as, make_user):
    login_as(Role.ADMIN)
    pid = make_user("clerk", Role.STAFF, phone=PHONE)
    response = client.post(f"/privacy/reveal/user.phone/{pid}", data={"csrf_token": token(client)},
                           headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and PHONE in html and "<html" not in html
    assert f'id="pii-user-phone-{pid}"' in html
    events = _events(app, "privacy.reveal")
    assert [(e.object_id, e.user_login) for e in events] == [(str(pid), "admin1")]


def test_reveal_works_as_a_plain_form_post_too(client, login_as, make_user):
    login_as(Role.ADMIN)
    pid = make_user("clerk", Role.STAFF, phone=PHONE)
    html = client.post(f"/privacy/reveal/user.phone/{pid}", data={"csrf_token": token(client)}).get_data(as_text=True)
    assert "<html" in html and PHONE in html


def test_reveal_needs_the_csrf_token(app, client, login_as, make_user):
    login_as(Role.ADMIN)
    pid = make_user("clerk", Role.STAFF, phone=PHONE)
    response = client.post(f"/privacy/reveal/user.phone/{pid}", data={})
    assert response.status_code == 400 and PHONE not in response.get_data(as_text=True)
    assert _events(app, "privacy.reveal") == []


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.AUDITOR, Role.DUTY_LEADER, Role.STAFF])
def test_other_roles_cannot_reveal_and_the_attempt_is_audited(app, client, login_as, make_user, role):
    login_as(role)
    pid = make_user("clerk", Role.STAFF, phone=PHONE)
    response = client.post(f"/privacy/reveal/user.phone/{pid}", data={"csrf_token": token(client, "/password")})
    assert response.status_code == 403 and PHONE not in response.get_data(as_text=True)
    assert _events(app, "privacy.reveal") == []
    assert [e.result for e in _events(app, "access.denied")] == ["denied"]


def test_admin_cannot_reveal_a_person_of_another_hall(app, client, login_as):
    login_as(Role.ADMIN)
    with app.app_context():
        other = Hall(name="别的中心", level="county")
        db.session.add(other)
        db.session.flush()
        person = User(hall_id=other.id, name="外人", login="outsider", phone=PHONE)
        person.set_roles([Role.STAFF])
        db.session.add(person)
        db.session.commit()
        pid = person.id
    response = client.post(f"/privacy/reveal/user.phone/{pid}", data={"csrf_token": token(client)})
    assert response.status_code == 404 and PHONE not in response.get_data(as_text=True)
    assert _events(app, "privacy.reveal") == []


def test_unknown_field_cannot_be_revealed(client, login_as, make_user):
    login_as(Role.ADMIN)
    pid = make_user("clerk", Role.STAFF, phone=PHONE)
    response = client.post(f"/privacy/reveal/user.password_hash/{pid}", data={"csrf_token": token(client)})
    assert response.status_code == 404


def test_opening_the_edit_form_with_the_full_number_is_audited_as_a_reveal(app, client, login_as, make_user):
    login_as(Role.ADMIN)
    pid = make_user("clerk", Role.STAFF, phone=PHONE)
    assert PHONE in client.get(f"/admin/people/{pid}/edit").get_data(as_text=True)
    assert [e.detail for e in _events(app, "privacy.reveal")] == ['{"field": "user.phone", "via": "edit"}']


def test_phone_numbers_stay_masked_in_the_audit_log(app, client, login_as, make_user):
    login_as(Role.ADMIN)
    pid = make_user("clerk", Role.STAFF, phone=PHONE)
    client.post(f"/admin/people/{pid}/edit", data={
        "csrf_token": token(client), "name": "用户clerk", "login": "clerk", "phone": "13999998888",
        "department_id": "0", "window_id": "0", "roles": ["staff"]})
    with app.app_context():
        details = " ".join(db.session.execute(select(AuditEvent.detail)).scalars())
    assert "139****8888" in details
    assert "13999998888" not in details and PHONE not in details


def test_roster_pdf_prints_phone_numbers_masked(app, client, login_as, make_user):
    login_as(Role.ADMIN)
    clerk = make_user("clerk", Role.STAFF, name="李秀英", phone=PHONE)
    with app.app_context():
        db.session.query(Window).filter_by(number=1).one().a_post_id = clerk
        db.session.commit()
    text = pdf_text(client.get("/admin/roster.pdf").data)
    assert "李秀英" in text and "138****5678" in text and PHONE not in text
