"""The inbox pages: the list, the top bar's count and its one-query poll, item links, the center's view."""
from datetime import datetime

from sqlalchemy import select

from portal import clock
from portal.audit.models import AuditEvent
from portal.extensions import db
from portal.roles import Role
from tests.conftest import sign_in, token
from tests.querycount import count_queries
from tests.sitin_fixtures import NEXT_MONDAY, WEDNESDAY, frozen, leader  # noqa: F401 - pytest fixtures

POLL = {"HX-Request": "true", "X-HallDesk-Poll": "1"}


def _bar(client, **headers):
    return client.get("/inbox/bar", headers={**POLL, **headers})


def test_the_top_bar_shows_what_waits_for_the_window_leader(app, client, frozen, leader):
    sign_in(client, "lingdao")
    r = _bar(client)
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and "<html" not in html and 'id="inbox-bar"' in html
    assert 'id="inbox-count" class="inbox-count">1<' in html and "坐班未报备" in html
    assert "<html" in client.get("/inbox/bar").get_data(as_text=True)


def test_an_unchanged_inbox_poll_is_one_query(app, client, frozen, leader):
    app.config["RULEBOOK_CACHE_SECONDS"] = 60
    sign_in(client, "lingdao")
    tag = _bar(client).headers["ETag"]
    with count_queries(app) as queries:
        r = _bar(client, **{"If-None-Match": tag})
    assert r.status_code == 304 and r.headers["ETag"] == tag
    assert len(queries) == 1 and "inbox_pulse" in queries[0], queries


def test_filing_the_booking_moves_the_inbox_version_on(app, client, frozen, leader):
    sign_in(client, "lingdao")
    tag = _bar(client).headers["ETag"]
    client.post("/sitin/book", data={"csrf_token": token(client, "/sitin/week"), "day": NEXT_MONDAY.isoformat(),
                                     "half": "am"}, headers={"HX-Request": "true"})
    r = _bar(client, **{"If-None-Match": tag})
    assert r.status_code == 200 and 'class="inbox-count">0<' in r.get_data(as_text=True)


def test_the_poll_tag_expires_when_an_item_falls_overdue(app, client, frozen, leader):
    frozen(datetime(2026, 11, 27, 16, 45))
    sign_in(client, "lingdao")
    tag = _bar(client).headers["ETag"]
    frozen(datetime(2026, 11, 27, 16, 55))
    assert _bar(client, **{"If-None-Match": tag}).status_code == 304
    frozen(datetime(2026, 11, 27, 17, 1))  # past Friday's filing deadline, nothing written
    r = _bar(client, **{"If-None-Match": tag})
    assert r.status_code == 200 and "1 项过期" in r.get_data(as_text=True)


def test_a_page_adds_no_query_for_the_top_bar(app, client, frozen, leader):
    sign_in(client, "lingdao")
    client.get("/notices/")
    with count_queries(app) as queries:
        html = client.get("/notices/").get_data(as_text=True)
    assert 'id="inbox-bar"' in html and 'hx-trigger="load, every' in html  # filled in by its own request
    assert not [q for q in queries if "inbox" in q or "sitin" in q], queries


def test_the_inbox_lists_items_by_due_date_with_working_time_left(app, client, frozen, leader):
    sign_in(client, "lingdao")
    html = client.get("/inbox/").get_data(as_text=True)
    assert "<html" in html and "本周" in html and "坐班未报备" in html and "还剩 2 个工作日" in html
    fragment = client.get("/inbox/", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in fragment and 'id="inbox-list"' in fragment


def test_an_item_link_opens_its_page_for_its_owner(app, client, frozen, leader):
    sign_in(client, "lingdao")
    r = client.get(f"/inbox/go/sitin.unfiled:sitin_week:{NEXT_MONDAY.isoformat()}")
    assert r.status_code == 302 and "/sitin/week" in r.headers["Location"]


def test_a_link_to_another_persons_item_is_refused_and_audited(app, client, frozen, leader, make_user):
    make_user("clerk", Role.STAFF)
    sign_in(client, "clerk")
    r = client.get(f"/inbox/go/sitin.unfiled:sitin_week:{NEXT_MONDAY.isoformat()}")
    assert r.status_code == 404
    with app.app_context():
        event = db.session.execute(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1)).scalar()
        assert event.event == "access.denied" and event.object_type == "sitin_week"


def test_the_center_sees_overdue_items_by_department_and_person(app, client, frozen, leader, make_user):
    make_user("zhuren", Role.ADMIN, department="office")
    clock.freeze(datetime(2026, 11, 27, 17, 30))
    sign_in(client, "zhuren")
    html = client.get("/inbox/overdue").get_data(as_text=True)
    assert "税务局" in html and "王局长" in html and "坐班未报备" in html and "已逾期" in html


def test_the_password_change_page_has_no_polling_bar(app, client, frozen, make_user):
    make_user("newbie", Role.STAFF, must_change=True)
    sign_in(client, "newbie")
    html = client.get("/password").get_data(as_text=True)
    assert "inbox-bar" not in html, "its poll would be redirected back to this page, again and again"


def test_a_link_with_an_overlong_key_is_refused_not_an_error(app, client, frozen, leader):
    sign_in(client, "lingdao")
    assert client.get("/inbox/go/x:" + "y" * 300 + ":" + "z" * 300).status_code == 404


def test_the_overdue_view_is_a_page_and_a_fragment(app, client, frozen, make_user):
    make_user("zhuren", Role.ADMIN, department="office")
    sign_in(client, "zhuren")
    assert "<html" in client.get("/inbox/overdue").get_data(as_text=True)
    fragment = client.get("/inbox/overdue", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in fragment and 'id="inbox-overdue"' in fragment and "全厅目前没有逾期" in fragment
