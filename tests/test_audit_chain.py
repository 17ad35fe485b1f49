"""One way onto the audit chain: every path, every worker, every demo flow leaves a chain that verifies."""
import multiprocessing
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from portal.audit import service as audit
from portal.audit.models import AuditEvent
from portal.extensions import db
from portal.org.models import Department
from portal.roles import Role
from tests.conftest import PASSWORD, csrf_from, migrated_app, sign_in, token
from tests.test_audit import _old_rows, _tamper

NEW_PASSWORD = "Brand-new-2026x"


def _assert_chain_intact(app):
    with app.app_context():
        ok, problems = audit.verify()
    assert ok, problems
    assert app.test_cli_runner().invoke(args=["audit-verify"]).exit_code == 0


def _change_password(client, current=PASSWORD, new=NEW_PASSWORD):
    return client.post("/password", data={"csrf_token": token(client, "/password"), "current": current,
                                          "new": new, "confirm": new})


def test_first_sign_in_with_forced_password_change_keeps_the_chain(app, client, make_user):
    make_user("newbie", Role.STAFF, must_change=True)
    sign_in(client, "newbie")
    assert _change_password(client).status_code == 302
    _assert_chain_intact(app)


def test_password_reset_and_the_next_sign_in_keep_the_chain(app, client, make_user, login_as):
    uid = make_user("clerk", Role.STAFF)
    login_as(Role.ADMIN)
    page = client.post(f"/admin/people/{uid}/reset", data={"csrf_token": token(client)}).get_data(as_text=True)
    secret = next(word for word in page.replace("<", " <").replace(">", "> ").split() if word.startswith("Hd-"))
    clerk = app.test_client()
    sign_in(clerk, "clerk", secret)
    assert _change_password(clerk, secret).status_code == 302
    _assert_chain_intact(app)


def test_publishing_a_notice_keeps_the_chain(app, client, make_user):
    make_user("admin", Role.ADMIN, department="office")
    sign_in(client, "admin")
    data = {"csrf_token": token(client, "/notices/new"), "title": "关于规范窗口着装的通知", "category": "notice",
            "body": "请统一着装。", "audience": "staff", "action": "publish"}
    assert client.post("/notices/new", data=data).status_code == 302
    _assert_chain_intact(app)


def test_booking_a_sit_in_keeps_the_chain(app, client, make_user):
    from portal import clock
    from tests.sitin_fixtures import NEXT_TUESDAY, WEDNESDAY
    clock.freeze(WEDNESDAY)
    make_user("lingdao", Role.WINDOW_LEADER, department="tax")
    sign_in(client, "lingdao")
    r = client.post("/sitin/book", data={"csrf_token": token(client, "/sitin/week"),
                                         "day": NEXT_TUESDAY.isoformat(), "half": "am"})
    assert r.status_code in (200, 302)
    _assert_chain_intact(app)


def test_a_manual_deduction_keeps_the_chain(app, client, hall, login_as):
    login_as(Role.SUPERVISOR)
    page = client.get("/scores/manual").get_data(as_text=True)
    r = client.post("/scores/manual", data={"csrf_token": csrf_from(page), "subject": f"d{hall['tax']}",
                                            "points": "-2", "rule": "窗口无人", "day": "2026-11-05"})
    assert r.status_code == 302
    _assert_chain_intact(app)


def test_a_purge_keeps_the_chain(app, client, login_as):
    _old_rows(app, days=200)
    login_as(Role.ADMIN)
    before = (datetime.now(UTC) - timedelta(days=190)).date().isoformat()
    assert app.test_cli_runner().invoke(args=["audit-purge", before]).exit_code == 0
    client.post("/admin/windows/new", data={"csrf_token": token(client), "number": "9", "name": "新窗口",
                                            "department_id": "1"})
    _assert_chain_intact(app)


def test_explicit_records_between_flushes_share_one_chain(app, hall):
    with app.app_context():
        dept = db.session.get(Department, hall["tax"])
        dept.name = "税务局（一）"
        db.session.flush()  # the automatic record of this flush waits for the next one
        audit.record("test.between", "department", dept.id)
        dept.name = "税务局（二）"
        db.session.flush()
        audit.record("test.after", "department", dept.id)
        db.session.commit()
        rows = db.session.execute(select(AuditEvent).order_by(AuditEvent.id)).scalars().all()
    assert [r.event for r in rows][-4:] == ["department.update", "test.between", "department.update", "test.after"]
    _assert_chain_intact(app)


def test_a_transaction_reads_the_chain_head_once_and_inserts_its_records_once_however_many_flushes(app, hall):
    from tests.querycount import count_queries
    with app.app_context():
        dept = db.session.get(Department, hall["tax"])
        with count_queries(app) as statements:
            for n in range(3):
                dept.name = f"税务局（{n}）"
                db.session.flush()
            db.session.commit()
    assert sum("FROM audit_event" in s for s in statements) == 1, statements
    assert sum(s.startswith("INSERT INTO audit_event") for s in statements) == 1, statements
    _assert_chain_intact(app)


def test_a_savepoint_rolled_back_drops_only_the_records_made_inside_it(app, hall):
    with app.app_context():
        dept = db.session.get(Department, hall["tax"])
        dept.name = "税务局（一）"
        db.session.flush()
        try:
            with db.session.begin_nested():
                audit.record("test.in_savepoint", "department", dept.id)
                db.session.flush()
                raise RuntimeError("roll the savepoint back")
        except RuntimeError:
            pass
        audit.record("test.after_savepoint", "department", dept.id)
        db.session.commit()
        events = db.session.execute(select(AuditEvent.event).order_by(AuditEvent.id)).scalars().all()
    assert "test.in_savepoint" not in events and events[-2:] == ["department.update", "test.after_savepoint"]
    _assert_chain_intact(app)


def test_a_savepoint_released_inside_one_rolled_back_leaves_no_record_of_either(app, hall):
    with app.app_context():
        audit.record("test.before", "department", hall["tax"])
        try:
            with db.session.begin_nested():
                audit.record("test.outer", "department", hall["tax"])
                with db.session.begin_nested():
                    audit.record("test.inner", "department", hall["tax"])
                raise RuntimeError("roll the outer savepoint back")
        except RuntimeError:
            pass
        db.session.commit()
        events = db.session.execute(select(AuditEvent.event).order_by(AuditEvent.id)).scalars().all()
    assert events[-1] == "test.before" and not {"test.outer", "test.inner"} & set(events)
    _assert_chain_intact(app)


def test_the_demo_hall_verifies_right_after_loading(tmp_path):
    with migrated_app(tmp_path) as app:
        result = app.test_cli_runner().invoke(args=["demo-data"])
        assert result.exit_code == 0, result.output
        verified = app.test_cli_runner().invoke(args=["audit-verify"])
    assert verified.exit_code == 0, verified.output


@pytest.mark.chain_tampered
def test_a_tampered_row_is_still_named_by_verify(app, client, login_as):
    login_as(Role.ADMIN)
    _change_password(client)
    with app.app_context():
        victim = db.session.execute(select(AuditEvent.id).where(AuditEvent.event == "auth.password_change")).scalar()
    with app.app_context():
        _tamper("UPDATE audit_event SET detail = '{}' WHERE id = :id", id=victim)
        ok, problems = audit.verify()
    assert not ok and problems == [f"#{victim}: 内容与哈希不符（记录被修改）"]


def _worker(url, instance, department_id, writes):
    """Write audit records from a process of its own (one portal worker), as fast as it can."""
    from portal import create_app
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_DIR": instance})
    n = 0
    with app.app_context():
        while n < writes:
            dept = db.session.get(Department, department_id)
            dept.name = f"部门{department_id}-{n}"
            db.session.flush()
            audit.record("test.worker", "department", department_id, detail={"n": n})
            db.session.commit()
            audit.record_now("test.worker_alone", "department", department_id)
            n += 1
        db.session.remove()
        db.engine.dispose()
    return n


def test_two_workers_writing_at_once_keep_one_chain(app, hall, tmp_path):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(2) as pool:
        runs = [pool.apply_async(_worker, (url, tmp_path, hall[d], 40)) for d in ("tax", "police")]
        counts = [r.get(timeout=300) for r in runs]
    assert counts == [40, 40]
    with app.app_context():
        written = db.session.execute(select(AuditEvent).where(AuditEvent.event == "test.worker")).scalars().all()
    assert len(written) == sum(counts)
    _assert_chain_intact(app)


@pytest.fixture(autouse=True)
def _no_frozen_clock_left():
    yield
    from portal import clock
    clock.freeze(None)
