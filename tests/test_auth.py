"""Accounts, passwords, lockout and sessions, as the 等保 2.0 level-2 baseline asks (CSRF on throughout)."""
import re
from datetime import datetime, timedelta
from itertools import pairwise
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from config import ProductionConfig
from portal import clock
from portal.audit.models import AuditEvent
from portal.auth import passwords
from portal.auth.models import User, UserSession
from portal.auth.service import FAILED
from portal.extensions import db
from portal.org.models import Window
from portal.roles import Role
from portal.rulebook import service as rules
from tests.conftest import PASSWORD, sign_in, token

COOKIE = "halldesk_session"
START = datetime(2026, 11, 23, 8, 30)


@pytest.fixture
def at(app):
    """Freeze the clock at START and return a function that moves it on by minutes."""
    clock.freeze(START)
    state = {"now": START}

    def move(minutes=0, **kw):
        state["now"] += timedelta(minutes=minutes, **kw)
        clock.freeze(state["now"])
    return move


def _change_setting(app, key, value):
    with app.app_context():
        assert rules.change(key, str(value), SimpleNamespace(id=None), "test") is None
        db.session.commit()


def _events(app, event):
    with app.app_context():
        return db.session.execute(select(AuditEvent).where(AuditEvent.event == event)
                                  .order_by(AuditEvent.id)).scalars().all()


def _signed_in(client) -> bool:
    response = client.get("/password")
    return response.status_code == 200


# --- passwords --------------------------------------------------------------------------------

@pytest.mark.parametrize("password, problem", [
    ("Ab1-xyz", "至少 8 个字符"),
    ("abcdefgh123", "至少 3 类"),
    ("Clerk-2026-x", "不能包含登录名"),
    ("Password1!", "常见密码"),
])
def test_weak_passwords_are_refused_with_the_reason(app, password, problem):
    with app.app_context():
        assert any(problem in p for p in passwords.problems(password, "clerk")), passwords.problems(password, "clerk")


def test_long_passphrases_are_accepted_and_stored_with_scrypt(app, client, make_user):
    uid = make_user("clerk", Role.STAFF)
    long_one = "我的 passphrase 很长-" + "x7Y" * 30  # well over 64 characters
    with app.app_context():
        assert passwords.problems(long_one, "clerk") == []
    sign_in(client, "clerk")
    client.post("/password", data={"csrf_token": token(client, "/password"), "current": PASSWORD,
                                   "new": long_one, "confirm": long_one})
    with app.app_context():
        user = db.session.get(User, uid)
        assert user.password_hash.startswith("scrypt:") and passwords.matches(user.password_hash, long_one)


def test_the_last_five_passwords_cannot_be_reused(app, client, make_user):
    make_user("clerk", Role.STAFF)
    sign_in(client, "clerk")
    used = [PASSWORD] + [f"Fresh-pass-{n}x" for n in range(5)]
    for old, new in pairwise(used):
        response = client.post("/password", data={"csrf_token": token(client, "/password"), "current": old,
                                                   "new": new, "confirm": new})
        assert response.status_code == 302, response.get_data(as_text=True)
    current = used[-1]
    for recent in used[-5:]:  # the current one and the four before it
        response = client.post("/password", data={"csrf_token": token(client, "/password"), "current": current,
                                                   "new": recent, "confirm": recent})
        assert response.status_code == 422 and "最近用过的密码" in response.get_data(as_text=True)
    response = client.post("/password", data={"csrf_token": token(client, "/password"), "current": current,
                                               "new": used[0], "confirm": used[0]})
    assert response.status_code == 302  # six changes ago: allowed again


def test_initial_password_must_be_changed_before_anything_else(client, make_user):
    make_user("newbie", Role.ADMIN, must_change=True)
    sign_in(client, "newbie")
    assert client.get("/admin/windows").headers["Location"] == "/password"
    htmx = client.get("/admin/windows", headers={"HX-Request": "true"})
    assert htmx.headers["HX-Redirect"] == "/password"
    client.post("/password", data={"csrf_token": token(client, "/password"), "current": PASSWORD,
                                   "new": "Brand-new-2026x", "confirm": "Brand-new-2026x"})
    assert client.get("/admin/windows").status_code == 200


def test_password_expires_after_the_rulebook_days_and_zero_turns_it_off(app, client, make_user, at):
    make_user("clerk", Role.ADMIN)
    at(days=91)
    sign_in(client, "clerk")
    assert client.get("/admin/windows").headers["Location"] == "/password"
    _change_setting(app, "security.password_max_age_days", 0)
    assert client.get("/admin/windows").status_code == 200


def test_default_admin_gets_a_random_one_time_password(app, hall):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["create-admin", "boss1", "一号"]).output
    second = runner.invoke(args=["create-admin", "boss2", "二号"]).output
    assert first.split()[-1] != second.split()[-1]
    with app.app_context():
        assert all(u.must_change_password for u in db.session.execute(select(User)).scalars()
                   if u.login.startswith("boss"))


# --- lockout ----------------------------------------------------------------------------------

def test_five_failures_lock_the_account_for_thirty_minutes(app, client, make_user, at):
    make_user("clerk", Role.STAFF)
    for _ in range(5):
        response = sign_in(client, "clerk", "Wrong-pass-99")
        assert response.status_code == 422 and FAILED in response.get_data(as_text=True)
    locked = sign_in(client, "clerk")  # the right password, but locked
    assert locked.status_code == 422 and FAILED in locked.get_data(as_text=True)
    at(29)
    assert sign_in(client, "clerk").status_code == 422
    at(2)
    assert sign_in(client, "clerk").status_code == 302
    failures = _events(app, "auth.login")
    assert [e.result for e in failures][:6] == ["failed"] * 5 + ["denied"]
    assert '"locked": true' in failures[4].detail


def test_unknown_login_gets_the_same_answer_as_a_wrong_password(app, client, make_user):
    make_user("clerk", Role.STAFF)
    wrong = sign_in(client, "clerk", "Wrong-pass-99")
    unknown = sign_in(client, "nobody", "Wrong-pass-99")
    assert wrong.status_code == unknown.status_code == 422
    assert FAILED in wrong.get_data(as_text=True) and FAILED in unknown.get_data(as_text=True)
    assert [e.result for e in _events(app, "auth.login")] == ["failed", "failed"]


def test_admin_unlocks_a_locked_account(app, client, make_user, login_as):
    uid = make_user("clerk", Role.STAFF)
    other = app.test_client()
    for _ in range(5):
        sign_in(other, "clerk", "Wrong-pass-99")
    login_as(Role.ADMIN)
    client.post(f"/admin/people/{uid}/unlock", data={"csrf_token": token(client)})
    assert sign_in(other, "clerk").status_code == 302
    assert _events(app, "auth.unlock")


# --- sessions ---------------------------------------------------------------------------------

def test_sign_in_starts_a_new_session(client, make_user):
    make_user("clerk", Role.STAFF)
    client.get("/login")
    with client.session_transaction() as s:
        s["planted"] = "by an attacker"
        s["sid"] = "fixated-session-id"
    sign_in(client, "clerk")
    with client.session_transaction() as s:
        assert "planted" not in s and s["sid"] != "fixated-session-id"


@pytest.mark.parametrize("role, idle", [(Role.ADMIN, 30), (Role.DUTY_LEADER, 15), (Role.GENERAL_DUTY, 15)])
def test_idle_sessions_end_after_the_rulebook_minutes(client, make_user, at, role, idle):
    make_user("clerk", role)
    sign_in(client, "clerk")
    at(idle - 1)
    assert _signed_in(client)
    at(idle + 1)
    response = client.get("/password")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert "长时间未操作" in client.get("/login").get_data(as_text=True)


def test_idle_limit_is_a_rulebook_setting(app, client, make_user, at):
    _change_setting(app, "security.idle_minutes", 10)
    make_user("clerk", Role.STAFF)
    sign_in(client, "clerk")
    at(11)
    assert not _signed_in(client)


def test_a_polling_screen_does_not_keep_an_unattended_tablet_signed_in(client, make_user, at):
    make_user("clerk", Role.STAFF)
    sign_in(client, "clerk")
    for _ in range(6):  # the page polls every 5 minutes, nobody touches the tablet
        at(5)
        assert client.get("/password", headers={"HX-Request": "true", "X-HallDesk-Poll": "1"}).status_code == 200
    at(1)
    response = client.get("/password", headers={"HX-Request": "true", "X-HallDesk-Poll": "1"})
    assert response.headers["HX-Redirect"].startswith("/login")


def test_expired_htmx_request_gets_hx_redirect_and_the_action_is_not_done(app, client, login_as, hall, at):
    login_as(Role.ADMIN)
    csrf = token(client)
    at(31)
    response = client.post("/admin/windows/new", headers={"HX-Request": "true", "X-CSRFToken": csrf},
                           data={"number": "9", "name": "不该保存", "department_id": str(hall["tax"])})
    assert response.headers["HX-Redirect"].startswith("/login") and response.get_data(as_text=True) == ""
    with app.app_context():
        assert db.session.execute(select(Window).where(Window.number == 9)).scalar() is None


def test_sessions_end_after_twelve_hours_however_active(client, make_user, at):
    make_user("clerk", Role.STAFF)
    sign_in(client, "clerk")
    for _ in range(35):  # busy all day: every 20 minutes
        at(20)
        assert _signed_in(client)
    at(hours=1)
    response = client.get("/password")
    assert response.status_code == 302
    assert "最长有效期" in client.get("/login").get_data(as_text=True)


def test_csrf_token_lives_as_long_as_the_session(app, client, login_as, hall, at):
    login_as(Role.ADMIN)
    morning_token = token(client)
    for _ in range(30):  # ten hours of use
        at(20)
        client.get("/password")
    response = client.post("/admin/windows/new", data={"csrf_token": morning_token, "number": "9",
                                                       "name": "傍晚新窗口", "department_id": str(hall["tax"])})
    assert response.status_code in (200, 302)
    with app.app_context():
        assert db.session.execute(select(Window).where(Window.number == 9)).scalar() is not None


def test_replayed_cookie_is_refused_after_logout(client, make_user):
    make_user("clerk", Role.STAFF)
    sign_in(client, "clerk")
    stolen = client.get_cookie(COOKIE).value
    client.post("/logout", data={"csrf_token": token(client, "/password")})
    client.set_cookie(COOKIE, stolen)
    assert not _signed_in(client)


@pytest.mark.parametrize("action", ["active", "sessions", "reset"])
def test_deactivation_reset_and_admin_end_a_persons_sessions(app, client, make_user, login_as, action):
    uid = make_user("clerk", Role.STAFF)
    victim = app.test_client()
    sign_in(victim, "clerk")
    assert _signed_in(victim)
    login_as(Role.ADMIN)
    client.post(f"/admin/people/{uid}/{action}", data={"csrf_token": token(client)})
    assert not _signed_in(victim)


def test_changing_the_password_signs_out_every_other_session(app, client, make_user):
    make_user("clerk", Role.STAFF)
    other_tablet = app.test_client()
    sign_in(other_tablet, "clerk")
    sign_in(client, "clerk")
    client.post("/password", data={"csrf_token": token(client, "/password"), "current": PASSWORD,
                                   "new": "Another-pass-2027", "confirm": "Another-pass-2027"})
    assert _signed_in(client) and not _signed_in(other_tablet)


def test_cookies_are_httponly_and_lax_and_secure_in_production(client, make_user):
    make_user("clerk", Role.STAFF)
    response = sign_in(client, "clerk")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert ProductionConfig.SESSION_COOKIE_SECURE and ProductionConfig.HSTS
    assert ProductionConfig.REMEMBER_COOKIE_DURATION == 0


# --- headers and htmx -------------------------------------------------------------------------

def test_security_headers_on_every_page(client, login_as):
    anonymous = client.get("/login")
    login_as(Role.ADMIN)
    signed_in = client.get("/admin/windows")
    for response in (anonymous, signed_in):
        csp = response.headers["Content-Security-Policy"]
        for part in ("default-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
            assert part in csp
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"
    assert signed_in.headers["Cache-Control"] == "no-store"


def test_hsts_is_sent_in_production(app, client):
    app.config["HSTS"] = True
    assert "max-age=" in client.get("/login").headers["Strict-Transport-Security"]


def test_htmx_is_configured_safely(client):
    import html as html_lib
    import json
    import re
    page = client.get("/login").get_data(as_text=True)
    # read the meta tag's content as the browser does (entities decoded), then as htmx does (JSON)
    found = re.search(r"""name="htmx-config" content=(?:"([^"]*)"|'([^']*)')""", page)
    config = json.loads(html_lib.unescape(found.group(1) or found.group(2)))
    assert config["selfRequestsOnly"] is True and config["allowScriptTags"] is False
    assert config["allowEval"] is False and config["historyCacheSize"] == 0


def test_one_time_passwords_have_no_look_alike_characters(app, client, make_user, login_as):
    uid = make_user("clerk", Role.STAFF)
    login_as(Role.ADMIN)
    page = client.post(f"/admin/people/{uid}/reset", data={"csrf_token": token(client)}).get_data(as_text=True)
    shown = re.search(r"Hd-[A-Za-z0-9-]+", page).group(0)
    with app.app_context():
        secrets_ = [shown] + [passwords.one_time_password() for _ in range(200)]
        assert all(passwords.problems(s, "clerk") == [] for s in secrets_)
    assert not set("".join(secrets_)) & set("lI1O0o")


def test_the_daily_clean_up_removes_expired_sessions_and_keeps_live_ones(app, client, make_user, at):
    make_user("clerk", Role.STAFF)
    sign_in(app.test_client(), "clerk")                             # will pass the absolute limit
    at(hours=13)
    ended = app.test_client()
    sign_in(ended, "clerk")
    ended.post("/logout", data={"csrf_token": token(ended, "/password")})  # revoked
    sign_in(client, "clerk")                                        # live
    result = app.test_cli_runner().invoke(args=["sessions-clean"])
    assert result.exit_code == 0 and "deleted 2 expired sessions" in result.output
    assert _signed_in(client)
    with app.app_context():
        assert db.session.execute(select(UserSession)).scalars().all() != []
        assert db.session.execute(select(AuditEvent).where(AuditEvent.event == "auth.sessions_cleaned")).scalar()
