"""The session cookie: a cookie a worker has checked before is trusted no further than a fresh one."""
import time

from portal.roles import Role
from tests.conftest import sign_in

COOKIE = "halldesk_session"


def _signed_in(client) -> bool:
    return client.get("/password").status_code == 200


def test_a_cookie_read_before_still_ends_with_the_cookie_lifetime(app, client, make_user, monkeypatch):
    make_user("clerk", Role.STAFF)
    sign_in(client, "clerk")
    assert _signed_in(client)  # the worker has now read this cookie
    later = time.time() + app.permanent_session_lifetime.total_seconds() + 60
    monkeypatch.setattr(time, "time", lambda: later)
    assert not _signed_in(client)


def test_a_tampered_cookie_is_refused_though_the_genuine_one_was_read_before(app, client, make_user):
    make_user("clerk", Role.STAFF)
    sign_in(client, "clerk")
    assert _signed_in(client)
    genuine = client.get_cookie(COOKIE).value
    payload, stamp, signature = genuine.rsplit(".", 2)
    forged = ".".join((payload, stamp, ("A" if signature[0] != "A" else "B") + signature[1:]))
    client.set_cookie(COOKIE, forged)
    assert not _signed_in(client)
    client.set_cookie(COOKIE, genuine)
    assert _signed_in(client)


def test_a_session_changed_in_one_request_leaves_what_its_cookie_says_to_the_next(app, client, make_user):
    make_user("clerk", Role.STAFF)
    sign_in(client, "clerk")
    cookie = f"{COOKIE}={client.get_cookie(COOKIE).value}"
    interface = app.session_interface
    with app.test_request_context("/", headers={"Cookie": cookie}) as first:
        opened = interface.open_session(app, first.request)
        opened["planted"] = "in this request only"
    with app.test_request_context("/", headers={"Cookie": cookie}) as second:
        assert "planted" not in interface.open_session(app, second.request)
