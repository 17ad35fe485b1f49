"""Unchanged polls are answered from one query; anything unusual falls through to the full view."""
from datetime import timedelta

from sqlalchemy import update

from portal import clock
from portal.auth.models import User, UserRole, UserSession
from portal.extensions import db
from portal.roles import Role
from tests.conftest import sign_in, token
from tests.duty_fixtures import WEDNESDAY, frozen, leaders, on_duty  # noqa: F401 - pytest fixtures
from tests.querycount import count_queries

POLL = {"HX-Request": "true", "X-HallDesk-Poll": "1"}


def _tag(client):
    first = client.get("/duty/live", headers=POLL)
    assert first.status_code == 200
    return first.headers["ETag"]


def _poll(client, tag, **extra):
    return client.get("/duty/live", headers={**POLL, "If-None-Match": tag, **extra})


def test_an_unchanged_poll_is_one_query_and_no_page(app, client, frozen, leaders, on_duty):
    app.config["RULEBOOK_CACHE_SECONDS"] = 60  # as served: the worker's copy of the rulebook
    on_duty()
    sign_in(client, "zhiban")
    tag = _tag(client)
    with count_queries(app) as queries:
        r = _poll(client, tag)
    assert r.status_code == 304 and r.get_data() == b"" and r.headers["ETag"] == tag
    assert r.headers["Cache-Control"] == "no-store" and "Set-Cookie" not in r.headers
    assert len(queries) == 1, queries
    assert "user_session" in queries[0] and "duty_pulse" in queries[0]


def test_a_changed_version_gets_the_new_content(app, client, frozen, leaders, on_duty):
    on_duty()
    sign_in(client, "zhiban")
    tag = _tag(client)
    client.post("/duty/log/new", data={"csrf_token": token(client, "/duty/"), "kind": "other", "text": "新事项"},
                headers={"HX-Request": "true"})
    r = _poll(client, tag)
    assert r.status_code == 200 and "新事项" in r.get_data(as_text=True) and r.headers["ETag"] != tag


def test_a_revoked_session_is_sent_to_sign_in_not_told_nothing_changed(app, client, frozen, leaders, on_duty):
    on_duty()
    sign_in(client, "zhiban")
    tag = _tag(client)
    with app.app_context():
        db.session.execute(update(UserSession).values(revoked_at=clock.now(), revoked_reason="test"))
        db.session.commit()
    r = _poll(client, tag)
    assert r.status_code != 304 and "/login" in r.headers.get("HX-Redirect", "")


def test_a_person_who_lost_the_role_is_refused(app, client, frozen, leaders, on_duty):
    on_duty()
    sign_in(client, "zhiban")
    tag = _tag(client)
    with app.app_context():
        user = db.session.query(User).filter_by(login="zhiban").one()
        db.session.query(UserRole).filter_by(user_id=user.id).delete()
        db.session.add(UserRole(user_id=user.id, role=Role.STAFF))
        db.session.commit()
    assert _poll(client, tag).status_code == 403


def test_an_idle_tablet_is_signed_out_although_its_desk_keeps_polling(app, client, frozen, leaders, on_duty):
    on_duty()
    sign_in(client, "zhiban")
    tag = _tag(client)
    desk = client.get("/duty/").get_data(as_text=True)
    assert 'hx-headers=\'{"X-HallDesk-Poll": "1"}\'' in desk  # the desk's poll says it is one
    with app.app_context():
        from portal.rulebook import service as rules
        idle = rules.get("security.idle_minutes_duty")
    assert _poll(client, tag).status_code == 304
    frozen(WEDNESDAY + timedelta(minutes=idle - 1))
    tag = _tag(client)  # a new minute, a new tag; the polls do not count as someone at the tablet
    frozen(WEDNESDAY + timedelta(minutes=idle + 1))
    r = _poll(client, tag)
    assert r.status_code != 304 and "/login" in r.headers.get("HX-Redirect", "")


def test_a_poll_without_a_session_falls_through_to_sign_in(client):
    r = client.get("/duty/live", headers={**POLL, "If-None-Match": '"anything"'})
    assert r.status_code != 304 and "/login" in r.headers.get("HX-Redirect", "")


def test_the_poll_statement_reads_typed_columns_and_lends_its_connection_back_as_it_found_it(app, client, make_user):
    from sqlalchemy import bindparam, select

    from portal.rawquery import DriverStatement
    make_user("clerk", Role.STAFF)
    sign_in(client, "clerk")
    with client.session_transaction() as s:
        sid = s["sid"]
    with app.app_context():
        statement = DriverStatement(select(UserSession.created_at.label("created_at"))
                                    .where(UserSession.id == bindparam("sid")))
        with count_queries(app) as queries:
            row = statement.first(db.engine, sid=sid)
        assert len(queries) == 1  # counted like any other statement
        assert row["created_at"].tzinfo is not None  # the column's type applied, as the ORM would
        assert statement.first(db.engine, sid="no such session") is None
        lent = db.engine.raw_connection()
        try:
            assert getattr(lent.driver_connection, "autocommit", False) is False  # PostgreSQL: back in transactions
        finally:
            lent.close()


def test_a_poll_statement_that_fails_falls_through_and_the_next_request_is_served(app, client, make_user):
    from sqlalchemy import column, select, table

    from portal.rawquery import DriverStatement
    make_user("clerk", Role.STAFF)
    with app.app_context():
        assert DriverStatement(select(column("x")).select_from(table("no_such_table"))).first(db.engine) is None
    assert sign_in(client, "clerk").status_code == 302
