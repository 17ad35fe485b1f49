"""A rating tap is saved straight on the driver (visits.rate_on_driver): the rows and audit of the session's way."""
import json
from datetime import timedelta

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from portal import clock
from portal.audit import service as audit
from portal.audit.models import AuditEvent
from portal.extensions import db
from portal.ratings import figures, visits
from portal.ratings.evaluator import EvaluatorError
from portal.ratings.models import MonthFigure, Rating, TapCount
from portal.rawquery import DriverConnection
from tests.conftest import PG_URL, make_station
from tests.querycount import count_queries, statement_states
from tests.ratings_fixtures import TOKEN, evaluator_device, frozen, invite, people, tap  # noqa: F401 - fixtures

RATING_COLUMNS = [c.key for c in Rating.__table__.c if c.key not in ("id", "invitation_id")]


def _session_way(app, invitation: int, level: int, answer: visits.Answer) -> None:
    """Save a tap the session's way (the way a bad level's tap still goes), for comparison."""
    with app.test_request_context(f"/evaluator/{TOKEN}/rate", method="POST",
                                  environ_base={"REMOTE_ADDR": "127.0.0.1"}):  # as the test client's
        seen = visits.visit(TOKEN, invitation, False)
        values = visits.rating_values(seen, level, answer)
        visits.rated(seen, values, visits.count_tap(seen.device_id, values))
        db.session.commit()


def _rating_and_audit(app, invitation: int) -> tuple[dict, dict]:
    with app.app_context():
        rating = db.session.execute(select(Rating).where(Rating.invitation_id == invitation)).scalar_one()
        row = db.session.execute(select(AuditEvent).where(AuditEvent.event == "rating.create",
                                                          AuditEvent.object_id == str(rating.id))).scalar_one()
        detail = json.loads(row.detail)
        detail["changes"].pop("invitation_id")
        return ({k: getattr(rating, k) for k in RATING_COLUMNS},
                {"at": row.at, "user_id": row.user_id, "user_login": row.user_login, "ip": row.ip,
                 "object_type": row.object_type, "result": row.result, "detail": detail})


def test_a_good_tap_saves_what_the_sessions_way_saves_and_the_chain_verifies(app, client, frozen, evaluator_device,
                                                                             people):
    answer = {"text": "", "name": "刘德华", "phone": "13812345678"}
    by_driver = invite(app, people)
    assert tap(client, by_driver, 2, **answer).status_code == 200
    by_session = invite(app, people)
    _session_way(app, by_session, 2, visits.Answer("2", name=answer["name"], phone=answer["phone"]))
    assert _rating_and_audit(app, by_driver) == _rating_and_audit(app, by_session)
    with app.app_context():
        assert audit.verify()[0]
        assert db.session.execute(select(MonthFigure.good)).scalar_one() == 2
        assert db.session.execute(select(TapCount.taps)).scalar_one() == 2


def test_a_good_tap_reads_on_its_own_then_writes_in_one_transaction(app, client, frozen, evaluator_device, people):
    inv = invite(app, people)
    page = client.get(f"/evaluator/{TOKEN}").get_data(as_text=True)
    from tests.ratings_fixtures import csrf_of

    def in_transaction(driver):
        if PG_URL:
            from psycopg.pq import TransactionStatus
            return driver.info.transaction_status != TransactionStatus.IDLE
        return driver.in_transaction
    with statement_states(app, in_transaction) as seen, count_queries(app) as counted:
        answer = client.post(f"/evaluator/{TOKEN}/rate", data={"csrf_token": csrf_of(page), "invitation": inv,
                                                               "level": 1})
    assert answer.status_code == 200 and "感谢" in answer.get_data(as_text=True)
    first_write = next(i for i, (word, _) in enumerate(seen) if word != "SELECT")
    # The visit (and, in the tests, the rulebook: no worker's copy here), read outside any transaction.
    assert first_write >= 1 and not any(in_tx for _word, in_tx in seen[:first_write]), seen
    if not PG_URL:  # SQLite: the write lock from the first write on (PostgreSQL's states come after the statement)
        assert all(in_tx for _word, in_tx in seen[first_write:]), seen
    assert len(counted) == len(seen) <= 7, counted  # every statement is seen by the engine's events


def test_two_taps_of_one_visit_read_before_either_is_saved_save_one_rating(app, client, frozen, evaluator_device,
                                                                            people, monkeypatch):
    inv = invite(app, people)
    with app.test_request_context(f"/evaluator/{TOKEN}/rate", method="POST"):
        stale = visits._visit_on_driver(TOKEN, inv, False)
        assert stale == visits.visit(TOKEN, inv, False)  # the session's read, the same
        assert visits._visit_on_driver(TOKEN, inv, True) == visits.visit(TOKEN, inv, True)  # with the tags
        db.session.commit()
        assert visits.rate_on_driver(TOKEN, inv, 1, visits.Answer("1")) is True
        monkeypatch.setattr(visits, "_visit_on_driver", lambda token, invitation, bad: stale)
        with pytest.raises(EvaluatorError) as refused:
            visits.rate_on_driver(TOKEN, inv, 3, visits.Answer("3"))
    assert refused.value.status == 409 and refused.value.message == visits.RATED
    with app.app_context():
        assert db.session.execute(select(func.count(Rating.id))).scalar_one() == 1
        assert db.session.execute(select(TapCount.taps)).scalar_one() == 2  # the refused tap is counted
        assert audit.verify()[0]


@pytest.mark.parametrize("level", [1, 4])
def test_a_tap_never_holds_two_of_the_pools_connections(app, client, frozen, evaluator_device, people, level):
    """Threaded workers: taps that each held one connection and waited for a second could take the whole pool."""
    from sqlalchemy import event

    from portal.rulebook import service as rules
    inv = invite(app, people)
    held, most = [0], [0]

    def out(*_args):
        held[0] += 1
        most[0] = max(most[0], held[0])

    def back(*_args):
        held[0] -= 1
    with app.app_context():
        pool = db.engine.pool
        rules.forget_cached()  # the rulebook and calendar read from the database, not a worker's copy
    event.listen(pool, "checkout", out)
    event.listen(pool, "checkin", back)
    try:
        bad = {"detail": "1", "tag": ["服务态度差"]} if level == 4 else {}
        assert tap(client, inv, level, **bad).status_code == 200
    finally:
        event.remove(pool, "checkout", out)
        event.remove(pool, "checkin", back)
    assert most[0] == 1 and held[0] == 0


def test_the_first_tap_of_a_month_is_saved_the_sessions_way_and_makes_the_months_row(app, client, frozen,
                                                                                     evaluator_device, people):
    inv = invite(app, people)
    with app.app_context():
        db.session.execute(delete(MonthFigure))  # as before the month's first invitation was counted
        db.session.commit()
    assert tap(client, inv, 1).status_code == 200
    with app.app_context():
        start = clock.local(clock.now()).date().replace(day=1)
        tally = figures.total(db.session.execute(select(Rating.hall_id)).scalar_one(), start,
                              start + timedelta(days=31), as_good=False)
        row = db.session.execute(select(MonthFigure)).scalar_one()
        assert (row.visits, row.good, row.unrated) == (tally.visits, tally.good, tally.unrated) == (1, 1, 0)
        assert db.session.execute(select(func.count(Rating.id))).scalar_one() == 1
        assert db.session.execute(select(TapCount.taps)).scalar_one() == 1  # the driver's count was rolled back
        assert audit.verify()[0]


def test_a_driver_connection_fills_defaults_wraps_errors_and_rolls_back(app, people):
    from portal.org.models import Window
    table = Rating.__table__
    with app.app_context():
        hall_id, unit_id = db.session.execute(select(Window.hall_id, Window.department_id)).first()
    values = dict(hall_id=hall_id, department_id=unit_id, channel="online", level=1,
                  day=clock.local(clock.now()).date(), rated_at=clock.now())
    with app.test_request_context("/x", method="POST"):
        connection = DriverConnection(db.engine)
        try:
            made = connection.execute(table.insert().returning(table.c.id), values).scalar_one()
            again = dict(values, id=made)
            with pytest.raises(IntegrityError):
                connection.execute(table.insert(), again)
            connection.rollback()
        finally:
            connection.close()
    with app.app_context():
        assert db.session.execute(select(func.count(Rating.id))).scalar_one() == 0
        connection = DriverConnection(db.engine)
        try:
            made = connection.execute(table.insert().returning(table.c.id), values).scalar_one()
            connection.commit()
        finally:
            connection.close()
        saved = db.session.get(Rating, made)
        assert (saved.item_code, saved.tags, saved.text, saved.rater_name) == ("", "", "", "")  # the columns' defaults


def _case_audit(app, rating_id: int) -> list[dict]:
    """The audit rows of the rating's case and of its first step, without their ids."""
    from portal.ratings.models import CaseStep, RatingCase
    with app.app_context():
        case = db.session.execute(select(RatingCase).where(RatingCase.rating_id == rating_id)).scalar_one()
        step = db.session.execute(select(CaseStep).where(CaseStep.case_id == case.id)).scalar_one()
        out = []
        for table, object_id in (("rating_case", case.id), ("rating_case_step", step.id)):
            row = db.session.execute(select(AuditEvent).where(AuditEvent.event == f"{table}.create",
                                                              AuditEvent.object_id == str(object_id))).scalar_one()
            changes = json.loads(row.detail)["changes"]
            changes.pop("rating_id", None), changes.pop("case_id", None)
            out.append({"at": row.at, "user_id": row.user_id, "ip": row.ip, "changes": changes})
        return out + [{k: getattr(case, k) for k in ("state", "kind", "due_at", "extended", "pending", "unable")},
                      {k: getattr(step, k) for k in ("action", "by_id", "at", "note", "from_state", "to_state",
                                                     "due_at", "late", "kind", "level")}]


def test_a_bad_tap_opens_its_case_as_the_orms_flush_did(app, client, frozen, evaluator_device, people):
    """The case and its first step are column inserts now: their rows and audit rows are those an ORM flush made."""
    from portal.ratings import cases
    from portal.ratings.models import CaseStep, RatingCase
    inv = invite(app, people)
    assert tap(client, inv, 4, detail="1", tag=["服务态度差"]).status_code == 200
    with app.app_context():
        by_tap = db.session.execute(select(Rating.id).where(Rating.invitation_id == inv)).scalar_one()
        reference = invite(app, people)
    with app.test_request_context("/x", method="POST", environ_base={"REMOTE_ADDR": "127.0.0.1"}):
        seen = visits.visit(TOKEN, reference, True)
        values = visits.rating_values(seen, 4, visits.Answer("4", tags=["服务态度差"]))
        rating_id = visits.count_tap(seen.device_id, values)
        visits.audit_row_of(values).record(rating_id)
        rating = db.session.get(Rating, rating_id)
        case = RatingCase(hall_id=rating.hall_id, rating_id=rating.id, department_id=rating.department_id,
                          state="verify", due_at=cases.term_due("verify"))  # what open_case did before
        db.session.add(case)
        db.session.add(CaseStep(case=case, action="open", by_id=None, at=clock.now(), note="", from_state="verify",
                                to_state="verify", late=False, due_at=case.due_at))
        db.session.commit()
    assert _case_audit(app, by_tap) == _case_audit(app, rating_id)
    with app.app_context():
        assert audit.verify()[0]


@pytest.mark.parametrize("month_row", [True, False], ids=["on the driver", "the session's way"])
def test_a_stations_bad_tap_takes_the_stations_deadline(app, client, frozen, evaluator_device, people, hall,
                                                         month_row):
    """A station's evaluator is public (nobody signed in): its tap reads the device's hall's rulebook."""
    from portal.inbox import worktime
    from portal.ratings.models import RatingCase
    from portal.rulebook import service as rules
    inv = invite(app, people)
    make_station(app, hall["hall"], evaluation__verify_days=3)
    if not month_row:
        with app.app_context():
            db.session.execute(delete(MonthFigure))
            db.session.commit()
    assert tap(client, inv, 4, detail="1", tag=["服务态度差"]).status_code == 200
    with app.test_request_context("/"):
        with rules.in_hall(hall["hall"]):
            due = worktime.close_after(clock.today(), 3)
        assert rules.get("evaluation.verify_days") == 1  # the county's, for a request of nobody's hall
        assert due > worktime.close_after(clock.today(), 1)
        assert db.session.execute(select(RatingCase.due_at)).scalar_one() == due
