"""The audit log: one record per event, append-only in the database, hash-chained, one line per record."""
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from portal.audit import service as audit
from portal.audit.models import AuditEvent
from portal.extensions import db
from portal.roles import Role
from tests.conftest import PASSWORD, csrf_from, migrated_app, sign_in, token

CONTROL = [chr(c) for c in range(0x20)] + ["\x7f", "\x85", "\u2028", "\u2029", "\u202e"]


def _rows(app, event=None):
    with app.app_context():
        q = select(AuditEvent).order_by(AuditEvent.id)
        if event:
            q = q.where(AuditEvent.event == event)
        return db.session.execute(q).scalars().all()


def _some_history(client, login_as):
    """Sign in as admin and make a few audited changes."""
    login_as(Role.ADMIN)
    for n in (7, 8, 9):
        client.post("/admin/windows/new", data={"csrf_token": token(client), "number": str(n),
                                                "name": f"窗口{n}", "department_id": "1"})


def _tamper(sql, **params):
    """Change the table behind the application's back, as someone with database access could."""
    with db.engine.begin() as conn:
        if db.engine.dialect.name == "postgresql":
            conn.execute(text("SET LOCAL session_replication_role = replica"))  # triggers off
        else:
            conn.execute(text("DROP TRIGGER audit_event_no_update"))
            conn.execute(text("DROP TRIGGER audit_event_no_delete"))
        conn.execute(text(sql), params)


def _verify_cli(app):
    return app.test_cli_runner().invoke(args=["audit-verify"])


def test_untouched_chain_verifies(app, client, login_as, hall):
    _some_history(client, login_as)
    result = _verify_cli(app)
    assert result.exit_code == 0 and "审计链完整" in result.output


def test_purge_never_cuts_the_chain_in_the_middle(app, client, login_as, hall):
    _some_history(client, login_as)
    _old_rows(app, days=200)  # old-dated rows after recent ones: nothing before them may go
    before = (datetime.now(UTC) - timedelta(days=190)).date().isoformat()
    assert app.test_cli_runner().invoke(args=["audit-purge", before]).exit_code == 0
    assert len(_rows(app, "test.old")) == 3 and _verify_cli(app).exit_code == 0


@pytest.mark.chain_tampered
def test_chain_detects_an_edited_row(app, client, login_as, hall):
    _some_history(client, login_as)
    with app.app_context():
        victim = _rows(app, "window.create")[0].id
        _tamper("UPDATE audit_event SET user_login = 'someone_else' WHERE id = :id", id=victim)
        ok, problems = audit.verify()
    assert not ok and any(f"#{victim}" in p and "内容与哈希不符" in p for p in problems)
    assert _verify_cli(app).exit_code == 1


@pytest.mark.chain_tampered
def test_chain_detects_a_deleted_row(app, client, login_as, hall):
    _some_history(client, login_as)
    with app.app_context():
        victim = _rows(app, "window.create")[1].id
        _tamper("DELETE FROM audit_event WHERE id = :id", id=victim)
        ok, problems = audit.verify()
    assert not ok and any("链接断开" in p for p in problems)
    assert _verify_cli(app).exit_code == 1


def test_database_refuses_to_change_or_delete_a_recent_audit_row(app, client, login_as, hall):
    _some_history(client, login_as)
    with app.app_context():
        victim = _rows(app)[-1].id
        for sql in ("UPDATE audit_event SET result = 'ok' WHERE id = :id", "DELETE FROM audit_event WHERE id = :id"):
            with pytest.raises(DBAPIError, match="append-only"):
                with db.engine.begin() as conn:
                    conn.execute(text(sql), {"id": victim})
    assert len(_rows(app)) >= 1 and victim in [r.id for r in _rows(app)]


def _old_rows(app, days, count=3):
    """Write audit rows dated `days` ago (by the real clock, which the database trigger uses)."""
    with app.app_context():
        for n in range(count):
            row = audit.build("test.old", "thing", n)
            row.at = datetime.now(UTC) - timedelta(days=days)
            db.session.add(row)
            db.session.commit()


def test_purge_removes_only_old_records_and_the_chain_still_verifies(app, client, request):
    _old_rows(app, days=200)
    _some_history(client, request.getfixturevalue("login_as"))  # the hall and its records come later
    before = (datetime.now(UTC) - timedelta(days=190)).date().isoformat()
    result = app.test_cli_runner().invoke(args=["audit-purge", before])
    assert result.exit_code == 0, result.output
    assert _rows(app, "test.old") == [] and _rows(app, "window.create")
    assert [r.event for r in _rows(app, "audit.purge")] == ["audit.purge"]
    assert _verify_cli(app).exit_code == 0


def test_nothing_newer_than_the_retention_period_can_be_purged(app, client, login_as, hall):
    _some_history(client, login_as)
    count = len(_rows(app))
    recent = (datetime.now(UTC) - timedelta(days=100)).date().isoformat()
    result = app.test_cli_runner().invoke(args=["audit-purge", recent])
    assert result.exit_code != 0 and "至少保留 180 天" in result.output
    assert len(_rows(app)) == count


def test_postgres_lets_only_the_purge_command_delete_old_rows(app, hall):
    _old_rows(app, days=200, count=1)
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("the purge flag is a PostgreSQL setting; SQLite's trigger checks the age only")
        with pytest.raises(DBAPIError, match="append-only"):
            with db.engine.begin() as conn:
                conn.execute(text("DELETE FROM audit_event"))
    assert len(_rows(app, "test.old")) == 1


def test_no_route_can_change_the_audit_log(app):
    writers = [r.rule for r in app.url_map.iter_rules()
               if r.endpoint.startswith("audit.") and r.methods - {"GET", "HEAD", "OPTIONS"}]
    assert writers == []


def test_newlines_and_control_characters_cannot_forge_a_record(app, client, make_user, hall):
    make_user("clerk", Role.STAFF)
    forged = "c\n10:00 admin auth.login ok\r\u2028\x1b[2J\u202e\x85"  # within the 40 allowed
    page = client.get("/login")
    client.post("/login", data={"login": forged, "password": "x",
                                "csrf_token": csrf_from(page.get_data(as_text=True))})
    sign_in(client, "clerk")
    rows = _rows(app)
    assert [r.event for r in rows].count("auth.login") == 2
    for row in rows:
        for value in (row.user_login, row.ip, row.event, row.object_type, row.object_id, row.result, row.detail):
            assert not any(c in value for c in CONTROL), repr(value)
    with app.app_context():
        assert audit.verify()[0]


def test_csv_export_cannot_smuggle_a_formula_into_a_spreadsheet(app, client, make_user, login_as, hall):
    make_user("-2+3", Role.STAFF)
    sign_in(client, "-2+3")
    client.post("/logout", data={"csrf_token": token(client, "/password")})
    login_as(Role.AUDITOR, "auditor1")
    body = client.get("/admin/audit/export.csv").get_data(as_text=True)
    assert ",'-2+3," in body and ",-2+3," not in body


def test_every_event_is_recorded_with_time_user_ip_object_and_result(app, client, make_user, login_as, hall):
    """Sign-in, failure, sign-out, denial, role and password change, unmask, export, rulebook change, write."""
    pid = make_user("clerk", Role.STAFF, phone="13812345678")
    sign_in(client, "clerk", "wrong-password")                                  # failure
    login_as(Role.ADMIN)                                                         # sign-in
    client.get("/admin/audit/")                                                  # denial
    t = token(client)
    client.post(f"/admin/people/{pid}/edit", data={                              # role change
        "csrf_token": t, "name": "用户clerk", "login": "clerk", "department_id": "0", "window_id": "0",
        "roles": ["staff", "supervisor"]})
    client.post(f"/privacy/reveal/user.phone/{pid}", data={"csrf_token": t})     # unmask
    client.get("/admin/roster.pdf")                                              # export
    client.post("/admin/rulebook/patrol.per_day", data={"csrf_token": t, "value": "3",
                                                            "reason": "测试"})    # rulebook change
    client.post("/admin/windows/new", data={"csrf_token": t, "number": "9", "name": "新窗口",
                                            "department_id": str(hall["tax"])})  # business write
    client.post("/password", data={"csrf_token": t, "current": PASSWORD,         # password change
                                   "new": "Another-pass-2027", "confirm": "Another-pass-2027"})
    client.post("/logout", data={"csrf_token": t})                               # sign-out
    rows = _rows(app)
    seen = {(r.event, r.result) for r in rows}
    for expected in [("auth.login", "failed"), ("auth.login", "ok"), ("access.denied", "denied"),
                     ("user.roles_change", "ok"), ("privacy.reveal", "ok"), ("export.roster_pdf", "ok"),
                     ("rule_setting.create", "ok"), ("window.create", "ok"), ("auth.password_change", "ok"),
                     ("auth.logout", "ok")]:
        assert expected in seen, f"{expected} not audited; got {sorted(seen)}"
    expected_events = {"auth.login", "access.denied", "user.roles_change", "privacy.reveal", "export.roster_pdf",
                       "rule_setting.create", "window.create", "auth.password_change", "auth.logout"}
    web = [r for r in rows if r.event in expected_events and r.user_login != "system"]  # not the fixtures' rows
    assert len(web) >= len(expected_events)
    for row in web:
        assert row.at.tzinfo is not None and row.ip == "127.0.0.1" and row.event and row.result
    admin_rows = [r for r in web if r.event in ("user.roles_change", "privacy.reveal", "window.create")]
    assert {r.user_login for r in admin_rows} == {"admin1"} and all(r.object_id for r in admin_rows)


def test_the_audit_administrators_own_reading_is_audited(app, client, login_as, hall):
    login_as(Role.AUDITOR, "auditor1")
    client.get("/admin/audit/?user=admin\n&event=auth")
    client.get("/admin/audit/verify")
    client.get("/admin/audit/export.csv")
    events = {r.event: r for r in _rows(app) if r.user_login == "auditor1"}
    assert {"audit.search", "audit.verify", "export.audit_csv"} <= set(events)
    assert "\n" not in events["audit.search"].detail


def test_migrations_install_the_append_only_trigger(tmp_path):
    with migrated_app(tmp_path):
        audit.record("test.event", "thing", 1)
        db.session.commit()
        with pytest.raises(DBAPIError, match="append-only"):
            with db.engine.begin() as conn:
                conn.execute(text("UPDATE audit_event SET result = 'x'"))


def test_every_event_and_table_has_a_chinese_name_on_the_audit_pages(app, client, login_as):
    import pathlib
    import re

    from portal.audit import labels
    codes = set()
    for path in pathlib.Path("portal").rglob("*.py"):
        codes |= set(re.findall(r'(?:record|record_now|build)\(\s*"([a-z_]+\.[a-z_]+)"', path.read_text("utf-8")))
    assert {"auth.login", "access.denied"} <= codes
    assert sorted(c for c in codes if labels.event_label(c) == c) == []
    assert sorted(t for t in db.metadata.tables if labels.object_label(t) == t) == []
    assert labels.event_label("duty_log_item.create") == "新增值班日志"
    login_as(Role.AUDITOR)
    page = client.get("/admin/audit/").get_data(as_text=True)
    assert "登录<br><small class=\"muted\">auth.login</small>" in page


def test_the_audit_log_shows_a_records_fields_in_chinese(app, client, login_as, hall):
    _some_history(client, login_as)
    client.post("/logout", data={"csrf_token": token(client)})
    login_as(Role.AUDITOR, "auditor1")
    page = client.get("/admin/audit/?event=window.create").get_data(as_text=True)
    assert "<dt>名称</dt><dd>（空） → 窗口7</dd>" in page and "<dt>部门</dt>" in page
    main = page.split("<main", 1)[1]  # the head carries htmx's JSON settings, escaped the same way
    assert '"changes"' not in main and "{&#34;" not in main


def _set_retention(days: str):
    """Store a retention straight in the rulebook table (as the admin page would, but also below the floor)."""
    from portal import clock
    from portal.rulebook.models import RuleSetting
    db.session.merge(RuleSetting(key="security.audit_retention_days", value=days, changed_at=clock.now()))
    db.session.commit()


def _database_deletes(row_id) -> bool:
    """Try to delete one audit row as the purge command does; say whether the database let it."""
    try:
        with db.engine.begin() as conn:
            if db.engine.dialect.name == "postgresql":
                conn.execute(text("SET LOCAL halldesk.audit_purge = 'on'"))
            conn.execute(text("DELETE FROM audit_event WHERE id = :id"), {"id": row_id})
        return True
    except DBAPIError as error:
        assert "append-only" in str(error)
        return False


def _assert_trigger_follows_the_rulebook(app):
    _old_rows(app, days=200, count=2)
    _old_rows(app, days=100, count=1)
    with app.app_context():
        ids = [r.id for r in _rows(app, "test.old")]
        _set_retention("400")
        assert not _database_deletes(ids[0])  # 200 days old, the rulebook keeps 400
        _set_retention("30")
        assert not _database_deletes(ids[2])  # 100 days old: never under the legal 180 days
        assert _database_deletes(ids[0])      # 200 days old, past both


@pytest.mark.chain_tampered
def test_the_database_keeps_audit_rows_as_long_as_the_rulebook_says(app, hall):
    _assert_trigger_follows_the_rulebook(app)


def test_the_migrated_trigger_reads_the_rulebooks_retention(tmp_path):
    with migrated_app(tmp_path) as app:
        _assert_trigger_follows_the_rulebook(app)


def test_every_column_and_replan_key_has_a_chinese_name_in_the_audit_details(app):
    from portal.audit import labels
    columns = {c.name for t in db.metadata.tables.values() for c in t.columns}
    assert sorted(c for c in columns if labels.field_label(c) == c) == []
    replan = '{"from": "2026-12-10", "to": "2027-01-29", "closed": [], "unstaffed": [], "days": 34}'
    assert [k for k, _ in labels.detail_lines(replan)] == [
        "起始日", "结束日", "不再值班的日子", "无人可排的日子", "重排天数"]
    counts = '{"counts": {"blank": 0, "skipped": 0, "unknown_id": 2}}'
    assert labels.detail_lines(counts) == [("统计", "空行：0，跳过：0，考勤号未对应：2")]


def test_rows_inserted_many_at_once_keep_their_hidden_and_masked_columns_out_of_the_audit_log(app, hall):
    import json
    with app.app_context():
        audit.record_inserted("display_screen", [{"id": 7, "name": "大厅一号屏", "token": "secret-token-1"}])
        audit.record_inserted("user", [{"id": 9, "name": "王五", "phone": "13812345678", "password_hash": "h"}])
        db.session.commit()
        details = {e.object_type: json.loads(e.detail)["changes"] for e in db.session.query(AuditEvent)
                   .filter(AuditEvent.event.in_(["display_screen.create", "user.create"]))}
    assert details["display_screen"]["token"] == [None, "***"]
    assert details["display_screen"]["name"] == [None, "大厅一号屏"]
    assert details["user"]["password_hash"] == [None, "***"]
    assert "13812345678" not in json.dumps(details["user"], ensure_ascii=False)
