"""The inbox version moves on with every write a source watches, and only with those."""
from datetime import datetime

from portal import clock
from portal.auth.models import User
from portal.duty import leave
from portal.extensions import db
from portal.inbox import pulse
from portal.org.models import Hall
from tests.conftest import sign_in
from tests.duty_fixtures import frozen, leaders, on_duty, staffed  # noqa: F401 - pytest fixtures


def test_a_watched_write_moves_its_halls_version_once_per_transaction(app, frozen, hall, leaders, on_duty, staffed):
    on_duty()
    with app.test_request_context():
        before = pulse.version(hall["hall"])
        leave.grant(db.session.get(User, leaders["zhiban"]), staffed["a"], 20, "取材料")
        db.session.flush()
        leave.grant(db.session.get(User, leaders["zhiban"]), staffed["b"], 20, "取材料")
        db.session.commit()
        assert pulse.version(hall["hall"]) == before + 1


def test_a_write_without_a_hall_moves_every_halls_version(app, frozen, hall, leaders):
    with app.app_context():
        other = Hall(name="分中心")
        db.session.add(other)
        db.session.commit()
        before = {h: pulse.version(h) for h in (hall["hall"], other.id)}
        db.session.get(User, leaders["zhiban"]).set_roles(["duty_leader", "supervisor"])  # no request: no hall
        db.session.commit()
        assert all(pulse.version(h) > before[h] for h in before)


def test_an_unwatched_write_leaves_the_version_alone(app, client, frozen, hall, leaders):
    with app.app_context():
        before = pulse.version(hall["hall"])
    sign_in(client, "zhiban")  # writes a session row and the audit chain, which no source reads
    clock.freeze(datetime(2026, 11, 25, 9, 40))
    with app.app_context():
        assert pulse.version(hall["hall"]) == before


def test_a_rulebook_change_moves_every_halls_version(app, frozen, hall, leaders):
    from portal.rulebook import service as rules
    with app.test_request_context():
        other = Hall(name="分中心")
        db.session.add(other)
        db.session.commit()
        before = pulse.version(other.id)
        rules.change("sitin.deadline_time", "16:00", db.session.get(User, leaders["general"]))
        assert pulse.version(other.id) == before + 1
