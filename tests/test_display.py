"""The hall screen: token rules, only public notices, emergencies, and the cheap 304 poll."""
from datetime import timedelta

import pytest
from flask import template_rendered

from portal import clock
from portal.auth.models import User
from portal.display import service as screens
from portal.extensions import db
from portal.notices import service
from portal.notices.models import BoardStamp, Notice
from portal.roles import Role
from tests.conftest import token
from tests.notices_fixtures import frozen, hours, make_notice, office_admin  # noqa: F401 - pytest fixtures
from tests.querycount import count_queries

TOKEN = "test-screen-token-0123456789"


@pytest.fixture
def screen(app, office_admin):
    with app.app_context():
        row = screens.create_screen(db.session.get(User, office_admin), "大厅入口屏", token=TOKEN)
        db.session.commit()
        return row.id


def _content(client, etag=None):
    headers = {"HX-Request": "true"}
    if etag:
        headers["If-None-Match"] = etag
    return client.get(f"/display/{TOKEN}/content", headers=headers)


def test_screen_shows_public_notices_and_nothing_else(client, frozen, screen, hall, make_notice):
    make_notice("大厅公开公告", audience="public", body="**办事须知**")
    make_notice("内部通知", audience="staff")
    make_notice("税务内部", audience="departments", department_ids=[hall["tax"]])
    make_notice("公开草稿", audience="public", publish=False)
    make_notice("未到时间", audience="public", publish_at=hours(1))
    page = client.get(f"/display/{TOKEN}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "大厅公开公告" in html and "<strong>办事须知</strong>" in html
    for hidden in ("内部通知", "税务内部", "公开草稿", "未到时间"):
        assert hidden not in html


def test_wrong_short_and_revoked_tokens_get_404(app, client, frozen, screen, office_admin):
    assert client.get("/display/not-a-real-screen-token-000").status_code == 404
    assert client.get("/display/abc").status_code == 404
    assert client.get(f"/display/{TOKEN}").status_code == 200
    with app.app_context():
        screens.revoke(db.session.get(User, office_admin), screen)
        db.session.commit()
    assert client.get(f"/display/{TOKEN}").status_code == 404
    assert _content(client).status_code == 404


def test_emergency_notice_replaces_the_rotation_until_withdrawn(app, client, frozen, screen, make_notice,
                                                                office_admin):
    make_notice("办事指南", audience="public", category="guide")
    nid = make_notice("大厅临时停电", audience="public", emergency=True, expires_at=hours(2))
    html = _content(client).get_data(as_text=True)
    assert "紧急通知" in html and "大厅临时停电" in html and "办事指南" not in html
    with app.app_context():
        service.archive(db.session.get(User, office_admin), db.session.get(Notice, nid))
        db.session.commit()
    html = _content(client).get_data(as_text=True)
    assert "大厅临时停电" not in html and "办事指南" in html


def test_emergency_notice_leaves_the_screen_at_its_expiry(client, frozen, screen, make_notice):
    make_notice("大厅临时停电", audience="public", emergency=True, expires_at=hours(2))
    first = _content(client)
    assert "大厅临时停电" in first.get_data(as_text=True)
    frozen(clock.now() + timedelta(hours=2, minutes=1))
    later = _content(client, first.headers["ETag"])
    assert later.status_code == 200 and "大厅临时停电" not in later.get_data(as_text=True)


def test_unchanged_poll_answers_304_without_query_or_rendering(app, client, frozen, screen, make_notice):
    make_notice("大厅公开公告", audience="public")
    etag = _content(client).headers["ETag"]
    rendered = []
    template_rendered.connect(lambda _app, template, context: rendered.append(template.name), app)
    with count_queries(app) as queries:
        answer = _content(client, etag)
    assert answer.status_code == 304 and answer.get_data() == b""
    assert answer.headers["ETag"] == etag
    assert rendered == []
    assert queries == []  # the worker's copy of the screens is current: no database round trip


def test_a_change_committed_by_another_server_reaches_the_poll_through_the_database(app, client, frozen, screen,
                                                                                   make_notice, monkeypatch):
    from portal.display import snapshot
    nid = make_notice("新公开公告", audience="public", publish=False)
    etag = _content(client).headers["ETag"]
    with app.app_context():  # another server publishes: nothing of this worker hears the commit
        with db.engine.begin() as conn:
            conn.execute(db.update(Notice).where(Notice.id == nid).values(state="published", publish_at=clock.now()))
            conn.execute(db.update(BoardStamp).values(version=BoardStamp.version + 1))
    assert _content(client, etag).status_code == 304  # within DISPLAY_SIGNAL_SECONDS: the worker's copy
    later = snapshot.time.monotonic() + app.config["DISPLAY_SIGNAL_SECONDS"] + 1
    monkeypatch.setattr(snapshot.time, "monotonic", lambda: later)
    changed = _content(client, etag)
    assert changed.status_code == 200 and "新公开公告" in changed.get_data(as_text=True)


def test_the_workers_copy_is_refreshed_after_its_maximum_age_even_without_a_generation(app, client, frozen, screen,
                                                                                     monkeypatch):
    from portal.display import snapshot
    assert _content(client).status_code == 200
    with app.app_context():  # a bulk update by hand writes no generation (as if its write was lost)
        db.session.execute(db.update(screens.DisplayScreen).values(revoked_at=clock.now()))
        db.session.commit()
    assert _content(client).status_code == 200  # still the worker's copy
    later = snapshot.time.monotonic() + snapshot.MAX_AGE_S + 1
    monkeypatch.setattr(snapshot.time, "monotonic", lambda: later)
    assert _content(client).status_code == 404


def test_publishing_editing_or_scheduling_changes_the_etag(app, client, frozen, screen, make_notice, office_admin):
    etag = _content(client).headers["ETag"]
    nid = make_notice("大厅公开公告", audience="public")
    changed = _content(client, etag)
    assert changed.status_code == 200 and "大厅公开公告" in changed.get_data(as_text=True)
    etag = changed.headers["ETag"]
    with app.app_context():
        service.update(db.session.get(User, office_admin), db.session.get(Notice, nid),
                       service.Draft(title="改后的公告", audience="public"))
        db.session.commit()
    changed = _content(client, etag)
    assert "改后的公告" in changed.get_data(as_text=True)
    make_notice("十点发布", audience="public", publish_at=hours(1))
    etag = _content(client).headers["ETag"]
    assert _content(client, etag).status_code == 304
    frozen(clock.now() + timedelta(hours=1))  # nothing was written: the scheduled moment itself moves the tag
    due = _content(client, etag)
    assert due.status_code == 200 and "十点发布" in due.get_data(as_text=True)


def test_side_panel_shows_reception_day_and_sit_ins(client, frozen, screen):
    html = client.get(f"/display/{TOKEN}").get_data(as_text=True)
    assert "主任接待日" in html and "每周三上午" in html
    assert "今日坐班领导" in html and "今日值班长" in html


def test_screen_page_is_cacheable_only_by_revalidation(client, frozen, screen):
    page = client.get(f"/display/{TOKEN}")
    assert "no-cache" in page.headers["Cache-Control"] and page.headers["ETag"]
    assert "<script>" not in page.get_data(as_text=True)  # the CSP allows only script files


def test_admin_adds_and_revokes_a_screen(app, client, login_as):
    login_as(Role.ADMIN)
    csrf = token(client, "/display/screens")
    added = client.post("/display/screens", data={"csrf_token": csrf, "name": "二楼屏"})
    assert added.status_code == 200 and "二楼屏" in added.get_data(as_text=True)
    with app.app_context():
        from portal.display.models import DisplayScreen
        row = db.session.execute(db.select(DisplayScreen)).scalar_one()
        address, sid = row.token, row.id
    assert len(address) >= 24 and client.get(f"/display/{address}").status_code == 200
    revoked = client.post(f"/display/screens/{sid}/revoke", data={"csrf_token": csrf})
    assert revoked.status_code == 200 and "已停用" in revoked.get_data(as_text=True)
    assert client.get(f"/display/{address}").status_code == 404


def test_admin_cannot_revoke_another_halls_screen(app, client, login_as, hall):
    from portal.display.models import DisplayScreen
    from portal.org.models import Hall
    login_as(Role.ADMIN)
    with app.app_context():
        other = Hall(name="别的大厅")
        db.session.add(other)
        db.session.flush()
        row = DisplayScreen(hall_id=other.id, name="别处", token="other-hall-screen-token-01")
        db.session.add(row)
        db.session.commit()
        sid = row.id
    csrf = token(client, "/display/screens")
    assert client.post(f"/display/screens/{sid}/revoke", data={"csrf_token": csrf}).status_code == 404
    assert client.get("/display/other-hall-screen-token-01").status_code == 200


@pytest.mark.parametrize("notices", [1, 12])
def test_screen_poll_query_count_does_not_grow_with_notices(app, client, frozen, screen, make_notice, notices):
    for i in range(notices):
        make_notice(f"公告{i}", audience="public")
    with count_queries(app) as queries:
        assert _content(client).status_code == 200
    # One reads the calendar, one the screens' generation (after a change), one the month's good rate (a
    # primary-key read, only when the content is rendered: never on an unchanged poll).
    assert len(queries) <= 11, queries


def test_a_screen_shows_only_its_own_halls_public_notices(app, client, frozen, screen, make_notice):
    from portal.notices.models import Notice as NoticeRow
    from portal.org.models import Hall
    with app.app_context():
        other = Hall(name="别的大厅")
        db.session.add(other)
        db.session.flush()
        outsider = User(hall_id=other.id, name="外厅管理员", login="other-admin")
        outsider.set_roles([Role.ADMIN])
        db.session.add(outsider)
        db.session.flush()
        notice = service.create(outsider, service.Draft(title="别的大厅公告", audience="public"))
        service.publish(outsider, notice)
        db.session.commit()
        assert db.session.get(NoticeRow, notice.id).state == "published"
    make_notice("本大厅公告", audience="public")
    html = _content(client).get_data(as_text=True)
    assert "本大厅公告" in html and "别的大厅公告" not in html


def test_side_panel_lists_todays_sit_in_leaders(app, client, frozen, screen, hall, make_user):
    from portal.sitin.models import SitInBooking
    leader = make_user("lingdao", Role.WINDOW_LEADER, department="tax", name="王局长")
    with app.app_context():
        db.session.add(SitInBooking(hall_id=hall["hall"], department_id=hall["tax"], leader_id=leader,
                                    booked_by_id=leader, day=clock.today(), half="am", desk_no=1,
                                    filed_at=clock.now()))
        db.session.commit()
    side = client.get(f"/display/{TOKEN}").get_data(as_text=True).split('class="screen-side"')[1]
    assert "税务局" in side and "王局长" in side and "上午" in side


def test_an_unchanged_board_costs_one_small_query_per_signal_interval_not_a_reload(app, client, frozen, screen,
                                                                                   monkeypatch):
    from portal.display import snapshot
    etag = _content(client).headers["ETag"]
    later = snapshot.time.monotonic() + app.config["DISPLAY_SIGNAL_SECONDS"] + 1
    monkeypatch.setattr(snapshot.time, "monotonic", lambda: later)
    with count_queries(app) as queries:
        assert _content(client, etag).status_code == 304
    assert len(queries) == 1, queries  # the generation, equal to the copy's: no reload
