"""Opening and closing checks: nothing preselected, one deliberate 全部正常, answers keyed by item id."""
import pytest

from portal.duty.models import DutyCheck, DutyCheckItem, DutyLogItem
from portal.extensions import db
from portal.org.models import Hall
from portal.roles import Role
from tests.conftest import sign_in, token
from tests.duty_fixtures import frozen, leaders, on_duty  # noqa: F401 - pytest fixtures

HX = {"HX-Request": "true"}


@pytest.fixture
def desk(client, frozen, leaders, on_duty):
    on_duty()
    sign_in(client, "zhiban")
    return token(client, "/duty/")


def _ids(app):
    with app.app_context():
        return {i.label: i.id for i in db.session.query(DutyCheckItem).filter_by(kind="opening")}


def test_opening_check_preselects_nothing_and_all_normal_is_one_deliberate_tap(app, client, desk):
    form = client.get("/duty/checks/opening", headers=HX).get_data(as_text=True)
    assert "checked" not in form and 'id="check-all-ok"' in form
    unanswered = client.post("/duty/checks/opening", headers=HX, data={"csrf_token": desk})
    assert unanswered.status_code == 422 and "正常或故障" in unanswered.get_data(as_text=True)
    done = client.post("/duty/checks/opening", headers=HX, data={"csrf_token": desk, "all_ok": "1"})
    assert done.status_code == 200 and "全部正常" in done.get_data(as_text=True)
    with app.app_context():
        (check,) = db.session.query(DutyCheck).all()
        assert len(check.results) == 8 and all(r.ok for r in check.results)


def test_all_normal_keeps_the_faults_marked_before_it(app, client, desk):
    led = _ids(app)["LED 显示屏"]
    r = client.post("/duty/checks/opening", headers=HX, data={"csrf_token": desk, "all_ok": "1",
                                                               f"r-{led}": "fault", f"note-{led}": "不亮"})
    assert r.status_code == 200 and "1 项故障" in r.get_data(as_text=True)


def test_check_answers_follow_the_item_not_its_place_on_the_form(app, client, desk):
    ids = _ids(app)
    with app.app_context():  # the list is reordered while the form is open
        db.session.get(DutyCheckItem, ids["评价器"]).sort_order = -1
        db.session.commit()
    data = {"csrf_token": desk, **{f"r-{i}": "ok" for i in ids.values()},
            f"r-{ids['评价器']}": "fault", f"note-{ids['评价器']}": "黑屏"}
    assert client.post("/duty/checks/opening", headers=HX, data=data).status_code == 200
    with app.app_context():
        assert db.session.query(DutyLogItem).one().text == "评价器：黑屏"


def test_default_checklists_come_with_a_new_hall_and_a_get_never_writes(app, client, login_as):
    with app.app_context():
        hall = Hall(name="新建大厅", level="county")
        db.session.add(hall)
        db.session.commit()
        labels = [i.label for i in db.session.query(DutyCheckItem).filter_by(hall_id=hall.id, kind="opening")]
        assert labels[:2] == ["考勤机", "触摸屏"] and len(labels) == 8
        db.session.query(DutyCheckItem).delete()
        db.session.commit()
    login_as(Role.ADMIN)
    assert client.get("/duty/check-items").status_code == 200
    assert client.get("/duty/checks/opening").status_code == 200
    with app.app_context():
        assert db.session.query(DutyCheckItem).count() == 0
