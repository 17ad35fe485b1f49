"""Record-level access: editing an id in a URL or form, or adding fields to a post, changes nothing.

The record-level sweep is generic: it walks every route with an integer id in its URL (including
routes added later, through their tables in tests/access/) as a person of another hall who holds
every business role, and checks the answer is 403/404 and that no row of any table changed.
"""
import re
from pathlib import Path

import pytest
from sqlalchemy import select
from werkzeug.routing import IntegerConverter

from portal.audit.models import AuditEvent
from portal.auth.models import User
from portal.extensions import db
from portal.org.models import Department, Hall, Window
from portal.roles import Role
from tests.conftest import PASSWORD, sign_in, token
from tests.test_permissions import _build, _table, seeded  # noqa: F401  (seeded is a fixture)

# Ids that name records shared by every hall of one deployment, by design: the national working-day
# calendar (holidays and make-up days are the State Council's, not one hall's).
SHARED_ACROSS_HALLS = {"rulebook.calendar_remove", "rulebook.calendar_import", "rulebook.calendar_entered"}
# Tables whose rows a request may add without changing anyone's records: sign-in sessions and the audit.
BOOKKEEPING = {"audit_event", "user_session"}


def _snapshot():
    """Every row of every table, except sign-in sessions and the audit log."""
    out = {}
    for table in db.metadata.sorted_tables:
        if table.name not in BOOKKEEPING:
            out[table.name] = sorted(map(repr, db.session.execute(select(table)).all()))
    return out


@pytest.fixture
def intruder(app):
    """A person of another hall holding every business role, signed in on their own client."""
    with app.app_context():
        other = Hall(name="邻县政务服务中心", level="county")
        db.session.add(other)
        db.session.flush()
        dept = Department(hall_id=other.id, name="邻县税务局", kind="window_unit")
        db.session.add(dept)
        db.session.flush()
        user = User(hall_id=other.id, name="邻县管理员", login="intruder", department_id=dept.id)
        user.set_roles([r for r in Role if r is not Role.AUDITOR])
        from portal.auth import passwords
        passwords.set_password(user, PASSWORD, must_change=False)
        db.session.add(user)
        db.session.commit()
    client = app.test_client()
    assert sign_in(client, "intruder").status_code == 302
    return client


def _id_routes(app):
    table, _ = _table()
    for rule in app.url_map.iter_rules():
        if rule.endpoint in SHARED_ACROSS_HALLS or rule.endpoint not in table:
            continue
        allowed, params = table[rule.endpoint]
        if allowed == "public":
            continue
        if any(isinstance(conv, IntegerConverter) for conv in rule._converters.values()):
            yield rule, params


def test_another_halls_records_cannot_be_seen_or_changed_by_editing_ids(app, seeded, intruder):  # noqa: F811
    csrf = token(intruder, "/password")
    with app.app_context():
        before = _snapshot()
    wrong = []
    routes = list(_id_routes(app))
    assert len(routes) >= 8  # the sweep really covers the id routes
    for rule, params in routes:
        url = _build(app, rule, {k: seeded[v] for k, v in params.items()})
        answers = []
        if "GET" in rule.methods:
            answers.append(("GET", intruder.get(url)))
        if "POST" in rule.methods:
            answers.append(("POST", intruder.post(url, data={"csrf_token": csrf})))
            answers.append(("htmx POST", intruder.post(url, headers={"HX-Request": "true", "X-CSRFToken": csrf})))
        wrong += [f"{method} {url}: {r.status_code}" for method, r in answers if r.status_code not in (403, 404)]
    with app.app_context():
        after = _snapshot()
        denied = db.session.execute(select(AuditEvent).where(AuditEvent.result == "denied")).scalars().all()
    assert not wrong, "\n".join(wrong)
    assert after == before, [name for name in before if before[name] != after[name]]
    assert denied, "the attempts left no trace in the audit log"


def test_person_form_ignores_fields_it_does_not_offer(app, client, login_as, make_user, hall):
    login_as(Role.ADMIN)
    pid = make_user("clerk", Role.STAFF)
    with app.app_context():
        other = Hall(name="别的中心", level="county")
        db.session.add(other)
        db.session.commit()
        other_id = other.id
    client.post(f"/admin/people/{pid}/edit", data={
        "csrf_token": token(client), "name": "新名字", "login": "clerk", "department_id": "0", "window_id": "0",
        "roles": ["staff"], "hall_id": str(other_id), "active": "0", "must_change_password": "1",
        "password_hash": "x", "failed_logins": "9", "points": "100", "status": "approved", "id": "999"})
    with app.app_context():
        person = db.session.get(User, pid)
        assert person.name == "新名字"  # the offered field was saved ...
        assert (person.hall_id, person.active, person.must_change_password, person.failed_logins) == (
            hall["hall"], True, False, 0)  # ... the smuggled ones were not
        assert person.password_hash.startswith("scrypt:") and db.session.get(User, 999) is None


def test_window_form_cannot_move_a_window_to_another_hall(app, client, login_as, hall):
    login_as(Role.ADMIN)
    with app.app_context():
        other = Hall(name="别的中心", level="county")
        db.session.add(other)
        db.session.commit()
        other_id = other.id
    client.post("/admin/windows/new", data={"csrf_token": token(client), "number": "9", "name": "新窗口",
                                            "department_id": str(hall["tax"]), "hall_id": str(other_id),
                                            "active": "0", "status": "closed"})
    with app.app_context():
        window = db.session.execute(select(Window).where(Window.number == 9)).scalar_one()
        assert window.hall_id == hall["hall"] and window.active


def test_a_person_cannot_grant_themselves_roles_through_the_password_form(app, client, make_user):
    uid = make_user("clerk", Role.STAFF)
    sign_in(client, "clerk")
    client.post("/password", data={"csrf_token": token(client, "/password"), "current": PASSWORD,
                                   "new": "Another-pass-2027", "confirm": "Another-pass-2027",
                                   "roles": ["admin"], "role": "admin", "points": "100"})
    with app.app_context():
        assert db.session.get(User, uid).roles == {Role.STAFF}


MASS_ASSIGNMENT = re.compile(r"\*\*request\.(form|values|args|json)|request\.(form|values)\.to_dict\(|"
                             r"setattr\([^)]*request\.")
# Columns only the portal itself sets: no form may offer them (WTForms' populate_obj copies only the
# fields a form declares, so a field added to a post has nowhere to go unless a form declares it).
NEVER_FROM_A_FORM = {"hall_id", "password_hash", "must_change_password", "failed_logins", "locked_until",
                     "calendar_token", "created_at", "updated_at", "recorded_by_id", "uploaded_by_id"}


def test_no_view_copies_a_whole_post_onto_a_record():
    """Every view takes the fields its form names: no **request.form, to_dict() or setattr loops."""
    found = [f"{path}:{n}" for path in (Path(__file__).resolve().parents[1] / "portal").rglob("*.py")
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if MASS_ASSIGNMENT.search(line)]
    assert not found, found


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_no_form_offers_a_field_only_the_portal_may_set(app):
    from flask_wtf import FlaskForm
    offending = [f"{form.__module__}.{form.__name__}.{name}" for form in _subclasses(FlaskForm)
                 if form.__module__.startswith("portal.")
                 for name in dir(form) if name in NEVER_FROM_A_FORM]
    assert not offending, offending
