"""The desk (值班台) and its self-refreshing counts."""
import pytest

from portal.roles import Role
from tests.conftest import sign_in, token
from tests.duty_fixtures import frozen, leaders, on_duty  # noqa: F401 - pytest fixtures


def test_desk_names_todays_leader_and_general_duty_leader(client, frozen, leaders, on_duty):
    on_duty()
    sign_in(client, "zhiban")
    html = client.get("/duty/").get_data(as_text=True)
    assert "值班长甲" in html and "总值班长丙" in html
    assert 'id="duty-live"' in html and "<html" in html


def test_live_fragment_answers_304_while_nothing_changed(client, frozen, leaders, on_duty):
    on_duty()
    sign_in(client, "zhiban")
    first = client.get("/duty/live", headers={"HX-Request": "true"})
    assert first.status_code == 200 and "<html" not in first.get_data(as_text=True)
    assert 'id="duty-live"' in first.get_data(as_text=True)
    tag = first.headers["ETag"]
    again = client.get("/duty/live", headers={"HX-Request": "true", "If-None-Match": tag})
    assert again.status_code == 304
    csrf = token(client, "/duty/")
    client.post("/duty/log/new", data={"csrf_token": csrf, "kind": "other", "text": "新事项"})
    changed = client.get("/duty/live", headers={"HX-Request": "true", "If-None-Match": tag})
    assert changed.status_code == 200 and "新事项" in changed.get_data(as_text=True)


@pytest.mark.demo
def test_demo_puts_zhiban_on_duty_today_with_zongzhiban_on_call(app):
    from portal import clock
    from portal.auth.models import User
    from portal.duty import service
    from portal.extensions import db
    with app.app_context():
        hall_id = db.session.query(User).filter_by(login="zhiban").one().hall_id
        now = service.holder_now(hall_id)
        assert now.leader.login == "zhiban" and now.general.login == "zongzhiban"
        assert service.short_leaves_on(clock.today(), hall_id)


def _grow(app, hall, first, count):
    from datetime import timedelta

    from portal import clock
    from portal.auth.models import User
    from portal.duty.models import DutyLogItem, ShortLeave
    from portal.extensions import db
    from portal.org.models import Window
    with app.app_context():
        owner = db.session.query(User).filter_by(login="zhiban").one()
        for n in range(first, first + count):
            a = User(hall_id=hall["hall"], name=f"甲{n}", login=f"a{n}", department_id=hall["tax"])
            a.set_roles([Role.STAFF])
            db.session.add(a)
            db.session.flush()
            w = Window(hall_id=hall["hall"], number=100 + n, name=f"窗口{n}", department_id=hall["tax"], a_post_id=a.id)
            db.session.add(w)
            db.session.flush()
            db.session.add(DutyLogItem(hall_id=hall["hall"], day=clock.today(), kind="other", text=f"事项{n}",
                                       window_id=w.id, owner_id=owner.id))
            db.session.add(ShortLeave(hall_id=hall["hall"], day=clock.today(), user_id=a.id, reason="外出",
                                      out_at=clock.now(), due_at=clock.now() + timedelta(minutes=30),
                                      approved_by_id=owner.id, covered_by_id=owner.id))
        db.session.commit()


import pytest  # noqa: E402


@pytest.mark.parametrize("path", ["/duty/", "/duty/live"])
def test_desk_query_count_does_not_grow_with_the_hall(app, client, hall, frozen, leaders, on_duty, path):
    from tests.querycount import count_queries
    app.config["RULEBOOK_CACHE_SECONDS"] = 60  # as served: the rulebook is read once per worker, not per page
    on_duty()
    sign_in(client, "zhiban")
    _grow(app, hall, 0, 2)
    client.get(path)
    with count_queries(app) as small:
        assert client.get(path).status_code == 200
    _grow(app, hall, 2, 30)
    with count_queries(app) as large:
        assert client.get(path).status_code == 200
    assert len(large) == len(small), large
    # The poll is the hot path (7, one of them who is on approved leave now); the page itself, opened once a
    # shift, also reads who holds the duty after overrides (one statement), the handovers waiting for this
    # person and their unread must-read notices (9).
    assert len(small) <= (9 if path == "/duty/" else 7), small


def test_unchanged_poll_costs_a_version_lookup_only(app, client, frozen, leaders, on_duty):
    from tests.querycount import count_queries
    on_duty()
    sign_in(client, "zhiban")
    tag = client.get("/duty/live").headers["ETag"]
    with count_queries(app) as queries:
        assert client.get("/duty/live", headers={"If-None-Match": tag}).status_code == 304
    assert len(queries) <= 4, queries


def test_duty_leader_on_duty_reaches_home_and_the_notice_board_and_sees_the_must_read_banner(
        app, client, hall, frozen, leaders, on_duty):
    from portal import clock
    from portal.extensions import db
    from portal.notices.models import Notice
    on_duty()
    with app.app_context():
        db.session.add(Notice(hall_id=hall["hall"], title="关于元旦值班安排的通知", body="请阅知", category="notice",
                              must_read=True, state="published", publish_at=clock.now(),
                              author_id=leaders["general"]))
        db.session.commit()
    sign_in(client, "zhiban")
    home = client.get("/")
    assert home.status_code == 200, "the home page no longer sends the duty leader back to the desk"
    assert 'id="home-on-duty"' in home.get_data(as_text=True)
    desk = client.get("/duty/").get_data(as_text=True)
    assert 'id="duty-must-read"' in desk and "<strong>1</strong> 条须阅知公告" in desk
    links = desk[desk.index('id="duty-links"'):]
    for path in ("/", "/notices/", f"/scores/people/{leaders['zhiban']}", "/sitin/", "/password"):
        assert f'href="{path}"' in links or path in links, path
    assert client.get("/notices/").status_code == 200
    off_duty = app.test_client()
    sign_in(off_duty, "zhiban2")
    assert 'id="home-on-duty"' not in off_duty.get("/").get_data(as_text=True)


def test_a_backlog_of_open_items_is_counted_in_full_but_only_the_newest_are_listed(app, client, hall, frozen, leaders,
                                                                                    on_duty):
    import re

    from portal.duty.desk import SHOWN_OPEN_ITEMS
    on_duty()
    sign_in(client, "zhiban")
    _grow(app, hall, 0, SHOWN_OPEN_ITEMS + 3)
    html = client.get("/duty/live", headers={"HX-Request": "true"}).get_data(as_text=True)
    listed = re.search(r'<ul id="duty-open-items".*?</ul>', html, re.S).group(0)
    assert f"共 {SHOWN_OPEN_ITEMS + 3} 项" in html and listed.count("<li>") == SHOWN_OPEN_ITEMS
    assert f"事项{SHOWN_OPEN_ITEMS + 2}" in listed and "事项0<" not in listed  # the newest first
    assert f"查看全部 {SHOWN_OPEN_ITEMS + 3} 项未办结事项" in html
    # every window with an open item is marked on the grid, not only those of the items listed
    assert html.count("wcell-issue") == SHOWN_OPEN_ITEMS + 3
