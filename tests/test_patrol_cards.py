"""What a window's card shows in a round: who is out on a short leave slip, another hall's round or window."""
from datetime import datetime, timedelta

import pytest

from portal import clock
from portal.duty.models import ShortLeave
from portal.extensions import db
from portal.org.models import Hall, Window
from portal.patrol import service
from portal.patrol.models import PatrolRound
from portal.roles import Role
from tests.patrol_fixtures import staffed  # noqa: F401 - pytest fixture
from tests.querycount import count_queries

HX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def tuesday():
    clock.freeze(datetime(2026, 11, 24, 9, 30))


def _round(app, uid) -> int:
    from portal.auth.models import User
    with app.app_context():
        rid = service.start_round(db.session.get(User, uid)).id
        db.session.commit()
        return rid


def _slip(who, out_minutes_ago: int, back: bool = False, day=None, closed: bool = False):
    out = clock.now() - timedelta(minutes=out_minutes_ago)
    return ShortLeave(hall_id=who.hall_id, day=day or clock.today(), user_id=who.id, reason="外出", out_at=out,
                      due_at=out + timedelta(minutes=30), approved_by_id=who.id,
                      returned_at=out + timedelta(minutes=10) if back else None,
                      closed_at=clock.now() if closed else None)


def _posts(html: str) -> str:
    return html.split('<div class="posts">')[1].split("</div>")[0]


def test_the_card_marks_a_post_on_leave_by_their_latest_slip_of_the_round_day(app, client, login_as, staffed):
    from portal.auth.models import User
    rid = _round(app, login_as(Role.SUPERVISOR))
    with app.app_context():
        a1, b1, a2 = (db.session.get(User, staffed[k]) for k in ("a1", "b1", "a2"))
        db.session.add_all([_slip(a1, 90, back=True), _slip(a1, 20),  # back from the first, out on the second
                            _slip(b1, 90), _slip(b1, 20, back=True),  # an earlier slip open, the latest one back
                            _slip(a2, 20, day=clock.today() - timedelta(days=1)),  # out yesterday, not today
                            ])
        db.session.commit()
    w1 = client.get(f"/patrol/rounds/{rid}/windows/{staffed['w1']}", headers=HX).get_data(as_text=True)
    assert "张一 <span class=\"tag\">请假</span>" in _posts(w1) and "李一</span>" in _posts(w1)
    w2 = client.get(f"/patrol/rounds/{rid}/windows/{staffed['w2']}", headers=HX).get_data(as_text=True)
    assert "请假" not in _posts(w2)
    grid = client.get(f"/patrol/rounds/{rid}").get_data(as_text=True)
    assert grid.count('<span class="tag">请假</span>') == 1
    with app.app_context():
        assert service.on_leave(clock.today(), db.session.get(User, staffed["a1"]).hall_id) == {staffed["a1"]}


def test_a_slip_closed_as_overrun_no_longer_marks_the_post_on_leave(app, client, login_as, staffed):
    from portal.auth.models import User
    rid = _round(app, login_as(Role.SUPERVISOR))
    with app.app_context():
        db.session.add(_slip(db.session.get(User, staffed["a1"]), 20, closed=True))
        db.session.commit()
    w1 = client.get(f"/patrol/rounds/{rid}/windows/{staffed['w1']}", headers=HX).get_data(as_text=True)
    assert "请假" not in _posts(w1)


def test_a_card_of_another_halls_round_or_window_is_not_found(app, client, login_as, staffed, make_user):
    rid = _round(app, login_as(Role.SUPERVISOR))
    with app.app_context():
        other = Hall(name="另一个中心", level="county")
        db.session.add(other)
        db.session.flush()
        window = Window(hall_id=other.id, number=9, name="外厅窗口", department_id=db.session.get(Window, staffed["w1"])
                        .department_id)
        mine = db.session.get(PatrolRound, rid)
        theirs = PatrolRound(hall_id=other.id, patroller_id=mine.patroller_id, template_id=mine.template_id,
                             day=mine.day, started_at=mine.started_at)
        db.session.add_all([window, theirs])
        db.session.commit()
        foreign_window, foreign_round = window.id, theirs.id
    assert client.get(f"/patrol/rounds/{rid}/windows/{foreign_window}", headers=HX).status_code == 404
    assert client.get(f"/patrol/rounds/{foreign_round}/windows/{staffed['w1']}", headers=HX).status_code == 404
    assert client.get(f"/patrol/rounds/{rid + 999}/windows/{staffed['w1']}", headers=HX).status_code == 404


def _visit_with_photos(app, uid, rid, window_id, tokens) -> None:
    """Record a finding at the window, in order, with a photo per token (stored as a visit's photos are)."""
    from portal.auth.models import User
    from portal.patrol.findings import PHOTO_OWNER
    from portal.uploads.models import StoredFile
    with app.app_context():
        user, window = db.session.get(User, uid), db.session.get(Window, window_id)
        patrol = service.round_for(user, rid)
        dress = next(i for i in patrol.template.items if i.label == "未按规定着装")
        visit = service.record_visit(user, patrol, window, service.Entry("findings", [(dress.id, window.a_post_id)]))
        db.session.flush()
        db.session.add_all([StoredFile(token=t, original_name="a.jpg", mime="image/jpeg", size=1, sha256=t,
                                       path=t, owner_type=PHOTO_OWNER, owner_id=visit.id, uploaded_by_id=uid,
                                       created_at=clock.now()) for t in tokens])
        service.record_visit(user, patrol, window, service.Entry("ok"))
        db.session.commit()


def _card_queries(app, client, url) -> list[str]:
    client.get(url, headers=HX)  # warm the session
    with count_queries(app) as seen:
        assert client.get(url, headers=HX).status_code == 200
    return [s for s in seen if "user_session" not in s and "rule_setting" not in s]


def test_a_card_is_read_in_one_query_besides_the_session_and_rulebook(app, client, login_as, staffed):
    rid = _round(app, login_as(Role.SUPERVISOR))
    url = f"/patrol/rounds/{rid}/windows/{staffed['w1']}"
    card = _card_queries(app, client, url)
    assert len(card) == 1, card  # the round with its window, posts, leave, visits, findings and photos


def test_a_card_with_findings_and_photos_is_read_in_one_query(app, client, login_as, staffed):
    uid = login_as(Role.SUPERVISOR)
    rid = _round(app, uid)
    _visit_with_photos(app, uid, rid, staffed["w1"], ["photo-one", "photo-two"])
    _visit_with_photos(app, uid, rid, staffed["w2"], ["photo-three"])
    url = f"/patrol/rounds/{rid}/windows/{staffed['w1']}"
    card = _card_queries(app, client, url)
    assert len(card) == 1, card
    html = client.get(url, headers=HX).get_data(as_text=True)
    assert html.index("photo-one") < html.index("photo-two") and "photo-three" not in html
    assert html.count('class="visit-line"') == 2 and "问题：未按规定着装" in html
    grid = client.get(f"/patrol/rounds/{rid}").get_data(as_text=True)
    assert grid.index("photo-one") < grid.index("photo-two") < grid.index("photo-three")


def test_the_round_grid_is_read_in_one_query_besides_the_session_and_rulebook(app, client, login_as, staffed):
    uid = login_as(Role.SUPERVISOR)
    rid = _round(app, uid)
    _visit_with_photos(app, uid, rid, staffed["w2"], ["photo-one"])
    client.get(f"/patrol/rounds/{rid}")  # warm the session
    with count_queries(app) as seen:
        page = client.get(f"/patrol/rounds/{rid}")
    assert page.status_code == 200 and "清单第" in page.get_data(as_text=True)
    grid = [s for s in seen if "user_session" not in s and "rule_setting" not in s]
    assert len(grid) == 1, grid  # the round with its patroller, checklist, windows, visits and photos
