"""A session's person is built from the worker's copy while the session, person and role tables are unchanged."""
import re
import time

import pytest

from tests.conftest import PG_URL, change_elsewhere, listening, sign_in
from tests.duty_fixtures import frozen, leaders, on_duty  # noqa: F401 - pytest fixtures
from tests.querycount import count_queries


@pytest.fixture
def desk(app, client, frozen, leaders, on_duty):
    app.config["CHANGE_SIGNALS"] = True  # as served (config.Config); the rest of the suite reads each time
    app.config["RULEBOOK_CACHE_SECONDS"] = 60
    on_duty()
    sign_in(client, "zhiban")
    listening(app)
    return client


def _blank(answer) -> str:
    """The page without its CSRF tokens (signed with the second they were made)."""
    return re.sub(r'(name="csrf_token" value=|"X-CSRFToken": )"[^"]+"', r"\1", answer.get_data(as_text=True))


def _page(app, client, path="/duty/"):
    with count_queries(app) as queries:
        answer = client.get(path)
    return answer, queries


def test_the_second_page_builds_the_person_from_the_copy(app, desk):
    first, read = _page(app, desk)
    assert first.status_code == 200 and any("FROM user_session" in q for q in read)
    again, kept = _page(app, desk)
    assert again.status_code == 200 and not any("FROM user_session" in q for q in kept), kept
    assert _blank(again) == _blank(first)  # the same page for the same person
    assert len(kept) <= len(read)


def _signed_out_soon(desk, seconds=5.0) -> bool:
    deadline = time.monotonic() + seconds
    while desk.get("/duty/").status_code == 200:
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def test_a_person_deactivated_elsewhere_is_signed_out_on_the_next_page(app, desk):
    _page(app, desk)
    _page(app, desk)  # from the copy
    change_elsewhere(app, "update \"user\" set active = false where login = 'zhiban'")
    assert _signed_out_soon(desk, 5.0 if PG_URL else 0.0)


def test_a_session_revoked_elsewhere_ends_at_the_next_page(app, desk):
    _page(app, desk)
    _page(app, desk)
    change_elsewhere(app, "update user_session set revoked_at = created_at, revoked_reason = 'elsewhere'")
    assert _signed_out_soon(desk, 5.0 if PG_URL else 0.0)


def test_a_role_taken_elsewhere_is_refused_at_the_next_page(app, desk):
    _page(app, desk)
    _page(app, desk)
    change_elsewhere(app, "delete from user_role where user_id = (select id from \"user\" where login = 'zhiban')")
    deadline = time.monotonic() + (5.0 if PG_URL else 0.0)
    while desk.get("/duty/").status_code == 200 and time.monotonic() <= deadline:
        time.sleep(0.02)
    assert desk.get("/duty/").status_code == 403
