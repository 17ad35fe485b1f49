"""PostgreSQL: a transaction that only read ends with COMMIT (its prepared statements stay); any other rolls back."""
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from portal.extensions import db
from portal.org.models import Hall
from tests.conftest import PG_URL
from tests.querycount import statement_states

pytestmark = pytest.mark.skipif(not PG_URL, reason="psycopg's prepared statements are PostgreSQL's")

PREPARED = "select count(*) from pg_prepared_statements"


def _halls() -> int:
    return db.session.execute(select(func.count()).select_from(Hall)).scalar()


def test_reads_ended_by_a_rollback_keep_their_prepared_statements(app, hall):
    with app.app_context():
        with db.engine.connect() as connection:
            for _ in range(8):  # psycopg prepares a statement on its fifth run on a connection
                connection.execute(select(Hall.id).where(Hall.id == hall["hall"])).all()
                connection.rollback()
            assert connection.exec_driver_sql(PREPARED).scalar() >= 1


def test_a_flushed_write_is_still_rolled_back(app, hall):
    with app.app_context():
        before = _halls()
        db.session.add(Hall(name="回滚的大厅", level="county"))
        db.session.flush()
        assert _halls() == before + 1
        db.session.rollback()
        assert _halls() == before
        db.session.remove()
        assert _halls() == before


def test_a_core_update_is_still_rolled_back(app, hall):
    with app.app_context():
        name = db.session.execute(select(Hall.name).where(Hall.id == hall["hall"])).scalar()
        db.session.execute(text("update hall set name = 'changed' where id = :id"), {"id": hall["hall"]})
        db.session.rollback()
        assert db.session.execute(select(Hall.name).where(Hall.id == hall["hall"])).scalar() == name


def test_a_select_that_writes_is_still_rolled_back(app, hall):
    with app.app_context():
        for _ in range(2):  # the second time its text is known (database._reads_only): still not read-only
            with db.engine.connect() as connection:
                connection.exec_driver_sql("select set_config('application_name', 'probe', false)")
                connection.rollback()  # set_config is a SELECT that changes state: rolled back, not committed
                assert connection.exec_driver_sql("show application_name").scalar() != "probe"


def test_a_failed_read_is_rolled_back_and_the_connection_works_on(app, hall):
    with app.app_context():
        with db.engine.connect() as connection:
            with pytest.raises(DBAPIError):
                connection.exec_driver_sql("select 1 / 0")
            connection.rollback()
            assert connection.exec_driver_sql("select 2").scalar() == 2


def test_a_page_reads_outside_a_transaction_and_hands_its_connection_back_as_it_was(app, client, login_as):
    from portal.roles import Role
    login_as(Role.DUTY_LEADER)
    with statement_states(app, lambda driver: driver.autocommit) as seen:
        assert client.get("/duty/").status_code == 200
    assert seen and all(word == "SELECT" and autocommit for word, autocommit in seen), seen
    with app.app_context():
        with db.engine.connect() as connection:  # outside a request: a transaction, as SQLAlchemy expects
            assert connection.connection.driver_connection.autocommit is False


def test_a_write_in_a_read_request_runs_in_a_transaction_and_is_saved_whole(app, client, login_as):
    from portal.audit.models import AuditEvent
    from portal.roles import Role
    login_as(Role.STAFF)
    with app.app_context():
        before = db.session.execute(select(func.count()).select_from(AuditEvent)).scalar()
    with statement_states(app, lambda driver: driver.autocommit) as seen:
        assert client.get("/admin/audit/").status_code == 403  # a denied page is audited in its own transaction
    writes = [autocommit for word, autocommit in seen if word != "SELECT"]
    assert writes and not any(writes), seen
    with app.app_context():
        assert db.session.execute(select(func.count()).select_from(AuditEvent)).scalar() > before
