"""The score ledger: arithmetic, voiding, the person-to-unit rule, and who sees what."""
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy.exc import IntegrityError

from portal.auth.models import User
from portal.extensions import db
from portal.org.models import Department
from portal.roles import Role
from portal.scores import service
from portal.scores.models import ScoreEvent
from tests.conftest import csrf_from

DAY = date(2026, 11, 10)


@pytest.fixture
def ledger(app, hall, make_user):
    """Return a function that records an event for a person (by id) or a unit (by key)."""
    def add(points, person=None, unit=None, rule="测试事由", day=DAY, source="manual", key=None):
        with app.app_context():
            user = db.session.get(User, person) if person else None
            dept = db.session.get(Department, hall[unit]) if unit else None
            event = service.record(user, dept, points=points, rule=rule, source=source, day=day, key=key)
            db.session.commit()
            return event.id if event else None
    return add


def _units(app, hall):
    with app.app_context():
        return {u.department.id: u for u in service.unit_totals(hall["hall"], 2026, 11)}


def test_month_totals_add_bonuses_and_deductions_exactly(app, hall, make_user, ledger):
    clerk = make_user("clerk", Role.STAFF)
    ledger("-0.2", person=clerk)
    ledger("-0.1", person=clerk)
    ledger("3", person=clerk)
    ledger("-2", person=clerk, day=date(2026, 12, 1))  # another month
    with app.app_context():
        (row,) = service.person_totals(hall["hall"], 2026, 11)
        assert row.total == Decimal("2.7") and row.lost == Decimal("0.3") and row.count == 3


def test_staff_losing_five_points_costs_the_unit_two(app, hall, make_user, ledger):
    clerk = make_user("clerk", Role.STAFF)
    ledger(-3, person=clerk)
    assert _units(app, hall)[hall["tax"]].total == 0
    ledger(-2, person=clerk)
    ledger(-5, unit="tax")
    unit = _units(app, hall)[hall["tax"]]
    assert unit.direct == -5 and unit.linked_centi == -200 and unit.total == -7
    ledger(-5, person=clerk)  # ten points lost: two steps of five
    assert _units(app, hall)[hall["tax"]].total == -9


def test_voiding_reverses_the_event_and_keeps_both(app, hall, make_user, ledger):
    clerk = make_user("clerk", Role.STAFF)
    boss = make_user("boss", Role.SUPERVISOR)
    first = ledger(-5, person=clerk)
    with app.app_context():
        event = db.session.get(ScoreEvent, first)
        service.void(event, "申诉成立：当时在处理业务", db.session.get(User, boss))
        db.session.commit()
        (row,) = service.person_totals(hall["hall"], 2026, 11)
        assert row.total == 0 and row.lost == 0 and row.count == 2
        assert service.voided_ids([first]) == {first}
        with pytest.raises(service.ScoreError):
            service.void(event, "再撤销一次", db.session.get(User, boss))
    assert _units(app, hall)[hall["tax"]].total == 0  # a voided loss no longer costs the unit


def test_a_second_reversal_is_refused_by_the_database(app, hall, make_user, ledger):
    clerk = make_user("clerk", Role.STAFF)
    first = ledger(-2, person=clerk)
    with app.app_context():
        for _ in range(2):
            db.session.add(ScoreEvent(hall_id=hall["hall"], subject_user_id=clerk, centipoints=200, rule="撤销",
                                      source="manual", day=DAY, recorded_at=service.clock.now(), reverses_id=first))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


def test_events_are_never_edited_or_deleted(app, hall, make_user, ledger):
    clerk = make_user("clerk", Role.STAFF)
    first = ledger(-2, person=clerk)
    with app.app_context():
        event = db.session.get(ScoreEvent, first)
        event.centipoints = -100
        with pytest.raises(RuntimeError):
            db.session.flush()
        db.session.rollback()
        db.session.delete(db.session.get(ScoreEvent, first))
        with pytest.raises(RuntimeError):
            db.session.flush()


def test_a_keyed_event_is_recorded_once(app, hall, make_user, ledger):
    clerk = make_user("clerk", Role.STAFF)
    assert ledger("-0.2", person=clerk, key="missed:1") is not None
    assert ledger("-0.2", person=clerk, key="missed:1") is None
    with app.app_context():
        assert db.session.query(ScoreEvent).count() == 1


def test_a_leader_sees_only_their_own_department(app, client, hall, make_user, login_as, ledger):
    clerk = make_user("clerk", Role.STAFF, name="税务甲")
    cop = make_user("cop", Role.STAFF, department="police", name="户政乙")
    ledger(-2, person=clerk)
    other = ledger(-3, person=cop)
    login_as(Role.WINDOW_LEADER)  # of the tax department
    page = client.get("/scores/?month=2026-11").get_data(as_text=True)
    assert "税务甲" in page and "户政乙" not in page and "公安局户政" not in page
    assert client.get(f"/scores/people/{cop}").status_code == 403
    assert client.get(f"/scores/units/{hall['police']}").status_code == 403
    assert client.get(f"/scores/events/{other}").status_code == 403
    assert client.get(f"/scores/people/{clerk}?month=2026-11").status_code == 200


def test_staff_see_only_their_own_scores(app, client, hall, make_user, login_as, ledger):
    me = login_as(Role.STAFF)
    colleague = make_user("colleague", Role.STAFF)
    mine = ledger(-2, person=me, rule="着装不规范")
    theirs = ledger(-3, person=colleague)
    response = client.get("/scores/?month=2026-11")
    assert response.status_code == 302 and f"/scores/people/{me}" in response.headers["Location"]
    assert "着装不规范" in client.get(f"/scores/people/{me}?month=2026-11").get_data(as_text=True)
    assert client.get(f"/scores/events/{mine}").status_code == 200
    assert client.get(f"/scores/events/{theirs}").status_code == 403
    assert client.get(f"/scores/people/{colleague}").status_code == 403


def test_supervisor_voids_with_a_reason_through_the_page(app, client, hall, make_user, login_as, ledger):
    clerk = make_user("clerk", Role.STAFF)
    login_as(Role.SUPERVISOR)
    first = ledger(-2, person=clerk)
    page = client.get(f"/scores/events/{first}").get_data(as_text=True)
    empty = client.post(f"/scores/events/{first}/void", data={"csrf_token": csrf_from(page), "reason": " "})
    assert empty.status_code == 422 and "撤销理由" in empty.get_data(as_text=True)
    done = client.post(f"/scores/events/{first}/void", data={"csrf_token": csrf_from(page), "reason": "申诉成立"},
                       headers={"HX-Request": "true"})
    assert done.status_code == 200 and "<html" not in done.get_data(as_text=True)
    assert 'id="scores-event"' in done.get_data(as_text=True)
    again = client.post(f"/scores/events/{first}/void", data={"csrf_token": csrf_from(page), "reason": "申诉成立"})
    assert again.status_code == 409
    with app.app_context():
        (row,) = service.person_totals(hall["hall"], 2026, 11)
        assert row.total == 0


def test_manual_entry_records_a_unit_bonus(app, client, hall, login_as):
    login_as(Role.SUPERVISOR)
    page = client.get("/scores/manual").get_data(as_text=True)
    response = client.post("/scores/manual", data={"csrf_token": csrf_from(page), "subject": f"d{hall['tax']}",
                                                   "points": "2", "rule": "感谢信", "day": "2026-11-05"})
    assert response.status_code == 302
    assert _units(app, hall)[hall["tax"]].total == 2
    bad = client.post("/scores/manual", data={"csrf_token": csrf_from(page), "subject": f"d{hall['tax']}",
                                              "points": "abc", "rule": "", "day": "2026-11-05"})
    assert bad.status_code == 422


def test_month_ledger_pages_stay_within_the_query_budget(app, client, hall, make_user, login_as, ledger):
    from tests.patrol_fixtures import assert_flat_queries
    from tests.test_query_budget import BUDGET
    login_as(Role.SUPERVISOR)
    people = [make_user(f"p{n}", Role.STAFF) for n in range(12)]
    for uid in people[:2]:
        ledger(-5, person=uid)
    ledger(-5, unit="tax")
    pages = ["/scores/?month=2026-11", f"/scores/units/{hall['tax']}?month=2026-11",
             f"/scores/people/{people[0]}?month=2026-11"]

    def grow():
        for uid in people:
            ledger(-3, person=uid)
            ledger(2, person=uid, rule="感谢信")
    assert_flat_queries(app, client, pages, grow, BUDGET)


def test_a_person_moved_later_keeps_the_old_units_cost(app, client, hall, make_user, login_as, ledger):
    clerk = make_user("clerk", Role.STAFF, name="税务甲")
    ledger(-5, person=clerk)  # lost in the tax office: costs the tax office two
    with app.app_context():
        db.session.get(User, clerk).department_id = hall["police"]
        db.session.commit()
    ledger(-1, person=clerk)  # lost after the move: the police office's, below the threshold
    units = _units(app, hall)
    assert units[hall["tax"]].linked_centi == -200 and units[hall["police"]].linked_centi == 0
    login_as(Role.SUPERVISOR)
    page = client.get(f"/scores/people/{clerk}?month=2026-11").get_data(as_text=True)
    assert 'id="scores-total">-6<' in page
    index = client.get("/scores/?month=2026-11").get_data(as_text=True)
    assert index.count("税务甲") == 2  # one line per unit the person served in this month
