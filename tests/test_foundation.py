"""App-wide behaviour: health, configuration, sign-in landing, htmx redirects, the demo hall."""
from datetime import datetime

import pytest
from sqlalchemy import func, select

from config import ProductionConfig
from portal import clock, create_app
from portal.auth.models import User
from portal.demo import DEMO_PASSWORD, load_demo
from portal.extensions import db
from portal.org.models import Department, Window
from portal.roles import Role
from tests.conftest import sign_in


def test_healthz_makes_a_database_round_trip(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "db": "ok"}


def test_healthz_is_503_when_the_database_is_unreachable(tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/missing/dir/db.sqlite3",
                      "INSTANCE_DIR": tmp_path})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["status"] == "error"


@pytest.mark.parametrize("secret", [None, "", "dev-only-not-secret", "short"])
def test_production_refuses_to_start_without_a_real_secret(monkeypatch, secret):
    monkeypatch.setenv("DATABASE_URL", "sqlite:///:memory:")
    if secret is None:
        monkeypatch.delenv("SECRET_KEY", raising=False)
    else:
        monkeypatch.setenv("SECRET_KEY", secret)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(ProductionConfig)


def test_production_refuses_to_start_without_a_database_url(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    with pytest.raises(RuntimeError, match="DATABASE_URL"):
        create_app(ProductionConfig)


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(app):
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("SQLite only")
    with app.app_context():
        conn = db.engine.raw_connection()
        try:
            assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == app.config["SQLITE_BUSY_TIMEOUT_MS"]
        finally:
            conn.close()


def test_anonymous_page_request_goes_to_login(client):
    response = client.get("/admin/windows")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=/admin/windows")


def test_anonymous_htmx_request_gets_hx_redirect_not_a_login_fragment(client):
    response = client.get("/admin/windows", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.headers["HX-Redirect"].startswith("/login")
    assert response.get_data(as_text=True) == ""


def test_signed_in_person_without_the_role_gets_a_chinese_403(client, login_as):
    login_as(Role.STAFF)
    response = client.get("/admin/windows")
    assert response.status_code == 403
    assert "没有权限" in response.get_data(as_text=True)


def test_next_parameter_cannot_send_people_off_site(client, make_user):
    make_user("someone", Role.STAFF)
    page = client.get("/login?next=//evil.example/x")
    from tests.conftest import PASSWORD, csrf_from
    response = client.post("/login?next=//evil.example/x", data={
        "login": "someone", "password": PASSWORD, "csrf_token": csrf_from(page.get_data(as_text=True))})
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("role,landing", [(Role.ADMIN, "窗口一览"), (Role.AUDITOR, "审计日志"),
                                          (Role.STAFF, "修改密码")])
def test_each_role_lands_on_its_home(client, login_as, role, landing):
    login_as(role)
    response = client.get("/", follow_redirects=True)
    assert response.status_code == 200
    assert landing in response.get_data(as_text=True)


@pytest.mark.demo
def test_demo_hall_has_the_promised_shape_and_accounts(app, client):
    with app.app_context():
        center = 1  # the demo center; its township stations are checked in tests/test_county_demo.py
        assert db.session.execute(select(func.count(Window.id)).where(Window.hall_id == center)).scalar_one() == 55
        units = db.session.execute(select(func.count(Department.id))
                                   .where(Department.kind == "window_unit", Department.hall_id == center)).scalar_one()
        assert 18 <= units <= 24
        people = db.session.execute(select(func.count(User.id)).where(User.hall_id == center)).scalar_one()
        assert 180 <= people <= 230
        with_posts = db.session.execute(select(func.count(Window.id)).where(
            Window.a_post_id.is_not(None), Window.b_post_id.is_not(None), Window.hall_id == center)).scalar_one()
        assert with_posts == 55
    for login in ("admin", "zhiban", "zongzhiban", "ducha", "lingdao", "chuangkou", "shenji"):
        fresh = app.test_client()
        assert sign_in(fresh, login, DEMO_PASSWORD).status_code == 302, login
        assert fresh.get("/", follow_redirects=True).status_code == 200


def test_demo_refuses_a_database_that_holds_people(app, make_user):
    make_user("existing", Role.STAFF)
    with app.app_context(), pytest.raises(RuntimeError, match="already holds people"):
        load_demo()


def test_demo_data_is_never_loaded_in_production_config(app):
    app.config["DEMO_DATA_ALLOWED"] = False
    result = app.test_cli_runner().invoke(args=["demo-data"])
    assert result.exit_code != 0
    assert "never loaded in production" in result.output


def test_forwarded_address_is_trusted_only_behind_a_configured_proxy(tmp_path, make_user, app):
    from portal.audit.models import AuditEvent
    make_user("viaproxy", Role.STAFF)
    for hops, expected in ((0, "127.0.0.1"), (1, "10.1.2.3")):
        proxied = create_app({"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                              "INSTANCE_DIR": tmp_path, "PROXY_HOPS": hops})
        client = proxied.test_client()
        client.get("/login", environ_base={"REMOTE_ADDR": "127.0.0.1"})
        from tests.conftest import PASSWORD, csrf_from
        page = client.get("/login", headers={"X-Forwarded-For": "10.1.2.3"})
        client.post("/login", headers={"X-Forwarded-For": "10.1.2.3"},
                    data={"login": "viaproxy", "password": PASSWORD,
                          "csrf_token": csrf_from(page.get_data(as_text=True))})
        with proxied.app_context():
            event = db.session.execute(select(AuditEvent).where(AuditEvent.event == "auth.login")
                                       .order_by(AuditEvent.id.desc())).scalars().first()
            assert event.ip == expected


def test_a_post_stops_holding_the_write_lock_once_its_write_is_committed(app):
    from flask import g

    from portal.database import commit_write, write_intended, write_transaction
    with app.test_request_context("/x", method="POST"):
        assert write_intended()
        commit_write()
        assert not write_intended()  # rendering the answer only reads
        with write_transaction():
            assert write_intended()  # a later write still begins IMMEDIATE
        assert not write_intended() and g.write_committed
    with app.test_request_context("/x", method="GET"):
        assert not write_intended()


@pytest.mark.parametrize("moment", [
    datetime(2026, 12, 5, 2, 30),  # Saturday in the hall's zone (Friday evening UTC): no working day today
    datetime(2026, 10, 1, 9, 0),  # National Day: the first day of a week of holidays
])
def test_demo_loads_on_any_day_of_the_year(app, moment):
    """make run loads the demo on whatever day it is run; a day off used to refuse its emergency leave."""
    from portal.attendance.leave_models import LeaveRequest
    from portal.rulebook import calendar
    clock.freeze(moment)
    with app.app_context():
        load_demo()
        phoned = db.session.execute(select(LeaveRequest).where(LeaveRequest.emergency.is_(True))).scalar_one()
        assert phoned.first_day <= moment.date() and phoned.state == "approved"
        assert calendar.is_working_day(phoned.first_day)


def test_templates_links_are_built_once_and_still_follow_the_script_root_and_the_values(app):
    """The templates' url_for remembers relative URLs; what it gives is what Flask's builds, wherever mounted."""
    from flask import render_template_string
    from flask import url_for as flask_url_for
    page = ("{{ url_for('duty.log_item', item_id=7) }} {{ url_for('duty.log_list', state=flag) }} "
            "{{ url_for('static', filename='css/app.css') }} {{ url_for('duty.log_item', item_id=7, _anchor='a') }}")
    seen = {}
    for root in ("", "/hall", ""):
        with app.test_request_context("/", base_url=f"http://localhost{root}"):
            for flag in (1, True, 1):
                expected = " ".join([flask_url_for("duty.log_item", item_id=7),
                                     flask_url_for("duty.log_list", state=flag),
                                     flask_url_for("static", filename="css/app.css"),
                                     flask_url_for("duty.log_item", item_id=7, _anchor="a")])
                assert render_template_string(page, flag=flag) == expected
                seen[(root, type(flag))] = expected
    assert seen[("/hall", int)].startswith("/hall/duty/log/7 /hall/duty/log?state=1 ")
    assert "state=True" in seen[("", bool)] and "#a" in seen[("", int)]
