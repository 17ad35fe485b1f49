"""The patrol grid and a window card issue a few queries however many windows and findings there are."""
from datetime import datetime

import pytest

from portal import clock
from portal.auth.models import User
from portal.extensions import db
from portal.org.models import Window
from portal.patrol import service
from portal.roles import Role
from tests.patrol_fixtures import assert_flat_queries
from tests.test_query_budget import BUDGET, _grow


@pytest.fixture(autouse=True)
def tuesday():
    clock.freeze(datetime(2026, 11, 24, 9, 30))


def _visit_all(app, uid, rid):
    with app.app_context():
        user, patrol = db.session.get(User, uid), service.round_for(db.session.get(User, uid), rid)
        dress = next(i for i in patrol.template.items if i.label == "未按规定着装")
        for window in db.session.query(Window).filter(Window.a_post_id.is_not(None)).all():
            service.record_visit(user, patrol, window, service.Entry("findings", [(dress.id, window.a_post_id)]))
        db.session.commit()


def test_round_grid_and_card_stay_within_budget(app, client, login_as, hall):
    uid = login_as(Role.SUPERVISOR)
    _grow(app, hall, 0, 2)
    with app.app_context():
        rid = service.start_round(db.session.get(User, uid)).id
        db.session.commit()
        wid = db.session.query(Window).filter(Window.a_post_id.is_not(None)).first().id
    _visit_all(app, uid, rid)
    pages = [f"/patrol/rounds/{rid}", f"/patrol/rounds/{rid}/windows/{wid}",
             f"/patrol/rounds/{rid}/windows/{wid}/check", f"/patrol/rounds/{rid}/summary"]

    def grow():
        _grow(app, hall, 2, 40)
        _visit_all(app, uid, rid)
    assert_flat_queries(app, client, pages, grow, BUDGET)
