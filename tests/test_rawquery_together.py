"""rawquery.together(): independent SELECTs at once give what each gives alone, typed, and are counted."""
from datetime import timedelta

from sqlalchemy import bindparam, select

from portal import clock
from portal.auth.models import User, UserSession
from portal.extensions import db
from portal.rawquery import DriverStatement, together
from portal.roles import Role
from tests.querycount import count_queries

SESSIONS = select(UserSession.id, UserSession.created_at, UserSession.revoked_at).where(
    UserSession.user_id == bindparam("uid")).order_by(UserSession.id)
PEOPLE = select(User.id, User.name, User.active, User.must_change_password).where(
    User.home_hall_id == bindparam("hall")).order_by(User.id)


def test_together_gives_each_statements_rows_as_it_gives_alone(app, hall, make_user):
    uid = make_user("clerk", Role.STAFF)
    with app.app_context():
        now = clock.now()
        db.session.add_all([UserSession(id="s-one", user_id=uid, created_at=now - timedelta(hours=1)),
                            UserSession(id="s-two", user_id=uid, created_at=now, revoked_at=now)])
        db.session.commit()
        alone = [db.session.execute(SESSIONS, {"uid": uid}).all(),
                 db.session.execute(PEOPLE, {"hall": hall["hall"]}).all()]
        with count_queries(app) as queries:
            both = together(db.session.connection(), [(DriverStatement(SESSIONS), {"uid": uid}),
                                                      (DriverStatement(PEOPLE), {"hall": hall["hall"]})])
        assert len(queries) == 2
        assert [[tuple(r) for r in rows] for rows in both] == [[tuple(r) for r in rows] for rows in alone]
        first = both[0][0]
        assert first.id == "s-one" and first.created_at.tzinfo is not None and first.revoked_at is None
        assert both[1][0].active is True and both[1][0].name
