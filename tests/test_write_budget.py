"""The two hot writes: a duty-log registration and a patrol finding stay within their statement budgets,
and the desk form's plain inserts leave the audit chain exactly the records an ORM insert would."""
import json
from datetime import datetime

from portal import clock
from portal.audit.models import AuditEvent
from portal.auth.models import User
from portal.duty import log
from portal.duty.models import DutyLogItem
from portal.extensions import db
from portal.org.models import Window
from portal.roles import Role
from tests.conftest import csrf_from, sign_in, token
from tests.duty_fixtures import frozen, leaders, on_duty  # noqa: F401 - pytest fixtures
from tests.patrol_fixtures import item_id, staffed  # noqa: F401 - pytest fixtures
from tests.querycount import count_queries

HX = {"HX-Request": "true"}
# Session, rulebook, who holds the desk (one statement), item, step, desk pulse, audit head and rows, window
# choices (a registration naming a window reads it too).
DUTY_LOG_BUDGET = 9
# Session, rulebook, the round with its window, posts and who of them is out (one statement), checklist, visit,
# ledger event, finding (with its event's id), inbox pulse, audit head and rows, the card (window, visits,
# photos) and the round's progress.
PATROL_FINDING_BUDGET = 12


def _budget(app, budget: int) -> int:
    """PostgreSQL takes the audit chain's advisory lock in a statement of its own."""
    with app.app_context():
        return budget + (db.engine.dialect.name == "postgresql")


def test_registering_a_duty_log_item_stays_within_its_statement_budget(app, client, frozen, leaders, on_duty):
    on_duty()
    sign_in(client, "zhiban")
    csrf = token(client, "/duty/")
    body = {"csrf_token": csrf, "kind": "consultation", "text": "群众咨询社保转移", "window_id": ""}
    assert client.post("/duty/log/new", data=body, headers=HX).status_code == 200  # warm
    with count_queries(app) as statements:
        assert client.post("/duty/log/new", data=body, headers=HX).status_code == 200
    assert len(statements) <= _budget(app, DUTY_LOG_BUDGET), statements


def test_a_patrol_finding_stays_within_its_statement_budget(app, client, login_as, staffed):
    clock.freeze(datetime(2026, 11, 24, 9, 30))
    login_as(Role.SUPERVISOR)
    page = client.get("/patrol/").get_data(as_text=True)
    started = client.post("/patrol/rounds", data={"csrf_token": csrf_from(page)})
    rid = int(started.headers["Location"].rstrip("/").split("/")[-1])
    dress = item_id(app, "未按规定着装")

    def find(window, person):
        body = {"csrf_token": csrf_from(page), "action": "findings", "f": f"{dress}-{person}", "note": "未穿工装"}
        return client.post(f"/patrol/rounds/{rid}/windows/{window}", data=body, headers=HX)
    assert find(staffed["w2"], staffed["a2"]).status_code == 200  # warm
    with count_queries(app) as statements:
        answer = find(staffed["w1"], staffed["a1"])
    assert answer.status_code == 200 and "未按规定着装" in answer.get_data(as_text=True)
    assert len(statements) <= _budget(app, PATROL_FINDING_BUDGET), statements


def _recorded(since: int, until: int | None = None) -> list[tuple]:
    rows = db.session.query(AuditEvent).filter(AuditEvent.id > since, AuditEvent.id <= (until or since + 100))
    rows = rows.order_by(AuditEvent.id).all()
    return [(r.event, r.object_type, r.user_login, json.loads(r.detail)["changes"]) for r in rows]


def test_the_desk_form_audits_its_plain_inserts_as_the_orm_insert_would(app, frozen, leaders, hall):
    with app.app_context():
        user = db.session.get(User, leaders["zhiban"])
        window = db.session.query(Window).filter_by(hall_id=hall["hall"], number=1).one().id
        start = db.session.query(db.func.max(AuditEvent.id)).scalar() or 0
        created = log.create(user, "complaint", " 排队时间长 ", window, "张三", True).id
        db.session.commit()
        middle = db.session.query(db.func.max(AuditEvent.id)).scalar()
        registered = log.register(user, "complaint", " 排队时间长 ", window, "张三", True)
        db.session.commit()
        by_orm, by_form = _recorded(start, middle), _recorded(middle)
    assert [r[:3] for r in by_orm] == [r[:3] for r in by_form] == [
        ("duty_log_item.create", "duty_log_item", "system"), ("duty_log_step.create", "duty_log_step", "system")]
    assert by_orm[0][3] == by_form[0][3]
    assert by_orm[1][3] == {**by_form[1][3], "item_id": [None, created]}
    assert by_form[1][3]["item_id"] == [None, registered.id]


def _at_the_desk(client, on_duty) -> str:
    on_duty()
    sign_in(client, "zhiban")
    return token(client, "/duty/")


def _register(client, csrf: str, window_id: str):
    body = {"csrf_token": csrf, "kind": "consultation", "text": "群众咨询社保转移", "window_id": window_id}
    return client.post("/duty/log/new", data=body, headers=HX)


def _newest_item_window() -> int | None:
    return db.session.query(DutyLogItem).order_by(DutyLogItem.id.desc()).first().window_id


def test_naming_an_active_window_costs_the_registration_no_statement(app, client, frozen, leaders, on_duty, hall):
    csrf = _at_the_desk(client, on_duty)
    with app.app_context():
        window = db.session.query(Window).filter_by(hall_id=hall["hall"], number=2).one()
        wid, number = window.id, window.number

    def counted(window_id):
        with count_queries(app) as statements:
            answer = _register(client, csrf, window_id)
        assert answer.status_code == 200, answer.get_data(as_text=True)
        return len(statements), answer.get_data(as_text=True)
    counted("")  # warm
    without, _page = counted("")
    named, page = counted(str(wid))
    assert named == without  # the window comes from the worker's copy of the hall's window list
    assert f"<td>{number}</td>" in page
    with app.app_context():
        assert _newest_item_window() == wid


def test_a_window_not_listed_is_read_and_checked_as_before(app, client, frozen, leaders, on_duty, hall):
    csrf = _at_the_desk(client, on_duty)
    with app.app_context():
        closed = db.session.query(Window).filter_by(hall_id=hall["hall"], number=1).one()
        closed.active = False  # no longer in the hall's list, still the hall's window
        db.session.commit()
        wid, count = closed.id, db.session.query(DutyLogItem).count()
    unknown = _register(client, csrf, "99999")
    assert unknown.status_code == 422 and "窗口不存在" in unknown.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(DutyLogItem).count() == count
    assert _register(client, csrf, str(wid)).status_code == 200
    with app.app_context():
        assert _newest_item_window() == wid
