"""What a patrol visit leaves behind besides its rows: one audit record for each row, as the ORM's insert of it
would record it, on an unbroken chain, and the hall's inbox version moved on once."""
import json
from datetime import datetime

import pytest
from sqlalchemy import select

from portal import clock
from portal.audit import service as audit
from portal.audit.models import AuditEvent
from portal.auth.models import User
from portal.extensions import db
from portal.inbox import pulse
from portal.org.models import Window
from portal.patrol import service
from portal.patrol.models import PatrolFinding, PatrolVisit
from portal.roles import Role
from portal.scores.models import ScoreEvent
from tests.patrol_fixtures import staffed  # noqa: F401 - pytest fixtures

VISIT_COLUMNS = {"round_id", "hall_id", "window_id", "department_id", "by_id", "at", "day", "outcome", "note",
                 "na_reason", "corrected", "serious"}
EVENT_COLUMNS = {"hall_id", "subject_user_id", "department_id", "centipoints", "rule", "source", "day",
                 "recorded_by_id", "recorded_at", "evidence", "note", "dedupe_key", "charge_no", "releases_key",
                 "reverses_id"}
FINDING_COLUMNS = {"visit_id", "item_id", "person_id", "department_id", "label", "section", "person_centi",
                   "unit_centi"}


@pytest.fixture(autouse=True)
def tuesday():
    clock.freeze(datetime(2026, 11, 24, 9, 30))


def _record(app, uid, window_id, picks, outcome="findings"):
    """Record a visit with (label, person id or None) picks; return (visit id, inbox version before and after)."""
    with app.app_context():
        user = db.session.get(User, uid)
        patrol = service.start_round(user)
        db.session.commit()
        items = {i.label: i.id for i in patrol.template.items}
        before = pulse.version(user.hall_id)
        entry = service.Entry(outcome, [(items[label], person) for label, person in picks])
        visit = service.record_visit(user, patrol, db.session.get(Window, window_id), entry)
        db.session.commit()
        return visit.id, before, pulse.version(user.hall_id)


def _created(table: str, after_id: int) -> list[tuple[str, dict]]:
    rows = db.session.execute(select(AuditEvent.object_id, AuditEvent.detail)
                              .where(AuditEvent.event == f"{table}.create", AuditEvent.id > after_id)
                              .order_by(AuditEvent.id)).all()
    return [(object_id, _instants(json.loads(detail)["changes"])) for object_id, detail in rows]


INSTANTS = ("at", "recorded_at")  # recorded in the hall's time zone, read back in UTC: compared as instants


def _instants(changes: dict) -> dict:
    return {k: [None, datetime.fromisoformat(v[1])] if k in INSTANTS else v for k, v in changes.items()}


def _as_recorded(row, columns) -> dict:
    return _instants({c: [None, audit._jsonable(getattr(row, c))] for c in columns})


def test_a_visit_with_findings_audits_each_row_it_wrote_as_its_insert(app, make_user, staffed):
    sup = make_user("ducha", Role.SUPERVISOR)
    with app.app_context():
        last = db.session.execute(select(AuditEvent.id).order_by(AuditEvent.id.desc())).scalar() or 0
    vid, before, after = _record(app, sup, staffed["w1"], [("未按规定着装", staffed["a1"]), ("窗口空岗", None)])
    with app.app_context():
        visit = db.session.get(PatrolVisit, vid)
        assert _created("patrol_visit", last) == [(str(vid), _as_recorded(visit, VISIT_COLUMNS))]
        found = db.session.query(PatrolFinding).filter_by(visit_id=vid).order_by(PatrolFinding.id).all()
        person = next(f for f in found if f.label == "未按规定着装")
        unit = next(f for f in found if f.label == "窗口空岗")
        assert (person.unit_event_id, unit.person_event_id) == (None, None)
        events = sorted((db.session.get(ScoreEvent, i) for i in (person.person_event_id, unit.unit_event_id)),
                        key=lambda e: e.id)
        assert [e.evidence for e in events] == [f"patrol_visit:{vid}"] * 2
        assert sorted((e.subject_user_id or 0, e.centipoints < 0) for e in events) == [(0, True), (staffed["a1"], True)]
        assert _created("score_event", last) == [(str(e.id), _as_recorded(e, EVENT_COLUMNS)) for e in events]
        # A finding's record names the event id it was given, and no column it was not given.
        given = {person.id: "person_event_id", unit.id: "unit_event_id"}
        assert _created("patrol_finding", last) == [
            (str(f.id), _as_recorded(f, FINDING_COLUMNS | {given[f.id]})) for f in found]
        assert audit.verify() == (True, [])
    assert after == before + 1  # the ledger's new events move the hall's inbox on, once for the whole visit


def test_a_visit_all_in_order_writes_one_row_and_its_record(app, make_user, staffed):
    sup = make_user("ducha", Role.SUPERVISOR)
    with app.app_context():
        last = db.session.execute(select(AuditEvent.id).order_by(AuditEvent.id.desc())).scalar() or 0
    vid, _before, _after = _record(app, sup, staffed["w2"], [], outcome="ok")
    with app.app_context():
        visit = db.session.get(PatrolVisit, vid)
        assert (visit.outcome, visit.findings) == ("ok", [])
        assert _created("patrol_visit", last) == [(str(vid), _as_recorded(visit, VISIT_COLUMNS))]
        assert _created("score_event", last) == [] and _created("patrol_finding", last) == []
        assert audit.verify() == (True, [])


def test_a_refused_pick_writes_nothing(app, make_user, staffed):
    sup = make_user("ducha", Role.SUPERVISOR)
    with app.app_context():
        user = db.session.get(User, sup)
        patrol = service.start_round(user)
        db.session.commit()
        dress = next(i.id for i in patrol.template.items if i.label == "未按规定着装")
        counts = [db.session.query(m).count() for m in (PatrolVisit, PatrolFinding, ScoreEvent, AuditEvent)]
        with pytest.raises(service.PatrolError) as refused:  # a person who is not on the window's posts
            service.record_visit(user, patrol, db.session.get(Window, staffed["w2"]),
                                 service.Entry("findings", [(dress, staffed["a1"])]))
        assert refused.value.status == 400
        db.session.rollback()
        assert [db.session.query(m).count() for m in (PatrolVisit, PatrolFinding, ScoreEvent, AuditEvent)] == counts
