"""A patrol round on the tablet: cards, findings into the ledger, photos, leave, concurrency."""
import io
from datetime import datetime

import pytest

from portal import clock
from portal.extensions import db
from portal.patrol import service
from portal.patrol.models import PatrolFinding, PatrolVisit
from portal.roles import Role
from portal.scores.models import ScoreEvent
from tests.conftest import csrf_from, sign_in
from tests.patrol_fixtures import item_id, staffed  # noqa: F401 - pytest fixtures

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4"
       b"\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
HX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def tuesday():
    clock.freeze(datetime(2026, 11, 24, 9, 30))


def _start(client):
    page = client.get("/patrol/").get_data(as_text=True)
    response = client.post("/patrol/rounds", data={"csrf_token": csrf_from(page)})
    assert response.status_code == 303
    return int(response.headers["Location"].rstrip("/").split("/")[-1]), csrf_from(page)


def _save(client, rid, wid, csrf, **data):
    files = data.pop("photos", None)
    body = {"csrf_token": csrf, **data}
    if files:
        body["photos"] = files
    return client.post(f"/patrol/rounds/{rid}/windows/{wid}", data=body, headers=HX,
                       content_type="multipart/form-data")


def _all_ok(client, rid, wid, csrf):
    return client.post(f"/patrol/rounds/{rid}/windows/{wid}/ok", data={"csrf_token": csrf}, headers=HX)


def _events(app, **filters):
    with app.app_context():
        return db.session.query(ScoreEvent).filter_by(**filters).all()


def test_a_finding_on_a_person_costs_the_person_and_lands_in_the_ledger(app, client, login_as, staffed):
    login_as(Role.SUPERVISOR)
    rid, csrf = _start(client)
    dress = item_id(app, "未按规定着装")
    response = _save(client, rid, staffed["w1"], csrf, f=f"{dress}-{staffed['a1']}", note="未穿工装")
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in body and f'id="win-{staffed["w1"]}"' in body
    assert "未按规定着装" in body
    (event,) = _events(app, subject_user_id=staffed["a1"])
    assert event.centipoints == -100 and event.source == "patrol" and event.evidence.startswith("patrol_visit:")


def test_a_window_item_costs_the_unit_only(app, client, login_as, staffed, hall):
    login_as(Role.DUTY_LEADER)
    rid, csrf = _start(client)
    untidy = item_id(app, "台面不规范、卫生差")
    assert _save(client, rid, staffed["w1"], csrf, f=f"{untidy}-0").status_code == 200
    (event,) = _events(app, source="patrol")
    assert event.subject_user_id is None and event.department_id == hall["tax"] and event.centipoints == -500


def test_all_in_order_is_one_tap_and_a_small_fragment(app, client, login_as, staffed):
    login_as(Role.SUPERVISOR)
    rid, csrf = _start(client)
    response = _all_ok(client, rid, staffed["w1"], csrf)
    body = response.get_data()
    assert response.status_code == 200 and b"state-ok" in body and b"<html" not in body
    assert len(body) < 2048, len(body)
    assert not _events(app)


def test_not_applicable_needs_a_reason(app, client, login_as, staffed):
    login_as(Role.SUPERVISOR)
    rid, csrf = _start(client)
    refused = _save(client, rid, staffed["w1"], csrf, action="na", na_reason=" ")
    assert refused.status_code == 422 and "不适用的原因" in refused.get_data(as_text=True)
    done = _save(client, rid, staffed["w1"], csrf, action="na", na_reason="窗口暂停服务")
    assert done.status_code == 200 and "窗口暂停服务" in done.get_data(as_text=True)


def test_a_bad_photo_is_refused_and_the_finding_kept(app, client, login_as, staffed):
    login_as(Role.SUPERVISOR)
    rid, csrf = _start(client)
    dress = item_id(app, "未佩戴工作证")
    response = _save(client, rid, staffed["w1"], csrf, f=f"{dress}-{staffed['b1']}",
                     photos=[(io.BytesIO(b"not an image at all"), "note.txt"), (io.BytesIO(PNG), "desk.png")])
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "不是图片" in body and "其余内容已保存" in body
    assert 'class="thumb"' in body
    assert len(_events(app, subject_user_id=staffed["b1"])) == 1
    token = body.split("/patrol/files/")[1].split('"')[0]
    photo = client.get(f"/patrol/files/{token}")
    assert photo.status_code == 200 and photo.mimetype == "image/png"


def test_two_patrollers_on_the_same_window_both_keep_their_findings(app, client, make_user, login_as, staffed):
    login_as(Role.SUPERVISOR)
    rid, csrf = _start(client)
    other = app.test_client()
    make_user("zhiban2", Role.DUTY_LEADER)
    sign_in(other, "zhiban2")
    rid2, csrf2 = _start(other)
    dress, badge = item_id(app, "未按规定着装"), item_id(app, "未佩戴工作证")
    # Both opened the card before either saved; both saves are kept.
    assert client.get(f"/patrol/rounds/{rid}/windows/{staffed['w1']}/check").status_code == 200
    assert other.get(f"/patrol/rounds/{rid2}/windows/{staffed['w1']}/check").status_code == 200
    assert _save(client, rid, staffed["w1"], csrf, f=f"{dress}-{staffed['a1']}").status_code == 200
    assert _save(other, rid2, staffed["w1"], csrf2, f=f"{badge}-{staffed['a1']}").status_code == 200
    assert _save(other, rid, staffed["w1"], csrf2, f=f"{badge}-{staffed['b1']}").status_code == 200  # same round
    with app.app_context():
        assert db.session.query(PatrolFinding).count() == 3
    assert len(_events(app, source="patrol")) == 3
    card = client.get(f"/patrol/rounds/{rid}/windows/{staffed['w1']}", headers=HX).get_data(as_text=True)
    assert "未按规定着装" in card and "未佩戴工作证" in card


def _out_on_leave(app, uid, back: bool = False):
    from datetime import timedelta

    from portal.auth.models import User
    from portal.duty.models import ShortLeave
    with app.app_context():
        who = db.session.get(User, uid)
        out = clock.now() - timedelta(minutes=20)
        db.session.add(ShortLeave(hall_id=who.hall_id, day=clock.today(), user_id=who.id, reason="外出", out_at=out,
                                  due_at=out + timedelta(minutes=30), approved_by_id=who.id,
                                  returned_at=out + timedelta(minutes=10) if back else None))
        db.session.commit()


def test_a_finding_on_a_person_on_leave_asks_for_confirmation(app, client, login_as, staffed):
    _out_on_leave(app, staffed["a1"])
    _out_on_leave(app, staffed["b1"], back=True)  # back already: not asked about
    login_as(Role.SUPERVISOR)
    rid, csrf = _start(client)
    away = item_id(app, "脱岗、串岗")
    back = _save(client, rid, staffed["w1"], csrf, f=f"{away}-{staffed['b1']}")
    assert back.status_code == 200 and len(_events(app)) == 1
    asked = _save(client, rid, staffed["w1"], csrf, f=f"{away}-{staffed['a1']}")
    assert asked.status_code == 409 and "confirm_leave" in asked.get_data(as_text=True)
    assert len(_events(app)) == 1
    confirmed = _save(client, rid, staffed["w1"], csrf, f=f"{away}-{staffed['a1']}", confirm_leave="1")
    assert confirmed.status_code == 200 and len(_events(app)) == 2


def test_a_person_on_leave_picked_at_a_window_not_theirs_is_asked_about_first(app, client, login_as, staffed):
    _out_on_leave(app, staffed["a2"])  # on window 2's post, picked at window 1
    login_as(Role.SUPERVISOR)
    rid, csrf = _start(client)
    away = item_id(app, "脱岗、串岗")
    asked = _save(client, rid, staffed["w1"], csrf, f=f"{away}-{staffed['a2']}")
    assert asked.status_code == 409 and "confirm_leave" in asked.get_data(as_text=True)
    refused = _save(client, rid, staffed["w1"], csrf, f=f"{away}-{staffed['a2']}", confirm_leave="1")
    assert refused.status_code == 400 and not _events(app)


def test_a_finished_round_shows_its_summary_and_takes_no_more_findings(app, client, login_as, staffed, hall):
    login_as(Role.SUPERVISOR)
    rid, csrf = _start(client)
    dress = item_id(app, "未按规定着装")
    _save(client, rid, staffed["w1"], csrf, f=f"{dress}-{staffed['a1']}")
    finished = client.post(f"/patrol/rounds/{rid}/finish", data={"csrf_token": csrf})
    assert finished.status_code == 303 and finished.headers["Location"].endswith(f"/rounds/{rid}/summary")
    summary = client.get(f"/patrol/rounds/{rid}/summary").get_data(as_text=True)
    assert "张一" in summary and "未按规定着装" in summary
    late = _all_ok(client, rid, staffed["w2"], csrf)
    assert late.status_code == 409
    with app.app_context():
        assert service.rounds_status(clock.today(), hall["hall"]) == (1, 2)
        assert db.session.query(PatrolVisit).count() == 1


def test_picking_a_person_not_on_the_window_is_refused(app, client, login_as, staffed):
    login_as(Role.SUPERVISOR)
    rid, csrf = _start(client)
    dress = item_id(app, "未按规定着装")
    assert _save(client, rid, staffed["w1"], csrf, f=f"{dress}-{staffed['a2']}").status_code == 400
    assert _save(client, rid, staffed["w1"], csrf, f=f"{dress}-0").status_code == 400  # a person item needs a person
    assert not _events(app)


def test_card_page_and_fragment(app, client, login_as, staffed):
    login_as(Role.SUPERVISOR)
    rid, _csrf = _start(client)
    url = f"/patrol/rounds/{rid}/windows/{staffed['w1']}"
    page = client.get(url).get_data(as_text=True)
    assert "<html" in page and "返回窗口列表" in page
    fragment = client.get(url, headers=HX).get_data(as_text=True)
    assert "<html" not in fragment and f'id="win-{staffed["w1"]}"' in fragment
    form = client.get(url + "/check", headers=HX).get_data(as_text=True)
    assert 'capture="environment"' in form and 'accept="image/*"' in form


def test_the_check_page_as_a_plain_url_posts_normally_and_returns_to_the_round(app, client, login_as, staffed):
    login_as(Role.SUPERVISOR)
    rid, csrf = _start(client)
    url = f"/patrol/rounds/{rid}/windows/{staffed['w1']}"
    page = client.get(url + "/check").get_data(as_text=True)
    assert "<html" in page and "hx-post" not in page.split('class="window-card')[1].split("</form>")[0]
    dress = item_id(app, "未按规定着装")
    saved = client.post(url, data={"csrf_token": csrf, "f": f"{dress}-{staffed['a1']}", "note": "未穿工装"})
    assert saved.status_code == 303 and saved.headers["Location"].endswith(f"/patrol/rounds/{rid}#win-{staffed['w1']}")
    assert "已保存" in client.get(saved.headers["Location"]).get_data(as_text=True)
    assert len(_events(app, subject_user_id=staffed["a1"])) == 1


def test_a_saved_visit_answers_with_its_card_and_the_rounds_progress(app, client, login_as, staffed):
    from portal.org.models import Window
    login_as(Role.SUPERVISOR)
    rid, csrf = _start(client)
    with app.app_context():
        total = db.session.query(Window).filter_by(active=True).count()
    dress = item_id(app, "未按规定着装")
    first = _save(client, rid, staffed["w1"], csrf, f=f"{dress}-{staffed['a1']}").get_data(as_text=True)
    assert "未按规定着装" in first and f'hx-swap-oob="true">已查 1 / {total} 个窗口' in first
    again = _all_ok(client, rid, staffed["w1"], csrf).get_data(as_text=True)  # the same window: still one
    assert f"已查 1 / {total} 个窗口" in again and again.count("未按规定着装") == 1
    second = _all_ok(client, rid, staffed["w2"], csrf).get_data(as_text=True)
    assert f"已查 2 / {total} 个窗口" in second and "未按规定着装" not in second
