"""Scheduled jobs started on several machines at once: each does its work once."""
from datetime import datetime

import pytest
from sqlalchemy import text

from portal import clock, scheduled
from portal.extensions import db
from tests.test_sitin_concurrency import _race


@pytest.fixture(autouse=True)
def tuesday():
    clock.freeze(datetime(2026, 11, 24, 23, 0))


def test_a_daily_job_started_on_three_machines_at_once_does_its_work_once(app):
    done = []

    def machine():
        with app.app_context():
            ran, _result = scheduled.daily("close-day", "2026-11-24", False, lambda: done.append(1) or "ok")
            return ran
    assert sorted(_race([machine, machine, machine])) == [False, False, True]
    assert done == [1]
    with app.app_context():
        run = scheduled.holder("close-day", "2026-11-24")
        assert run.finished_at is not None and run.result == "ok"


def test_a_closed_day_is_not_closed_again_unless_asked(app, hall):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["close-day", "2026-11-24"])
    second = runner.invoke(args=["close-day", "2026-11-24"])
    again = runner.invoke(args=["close-day", "2026-11-24", "--again"])
    assert first.exit_code == second.exit_code == again.exit_code == 0
    assert "已由" in second.output and ": 2 missed patrol(s)" not in second.output
    assert ": 2 missed patrol(s)" in first.output and "missed patrol(s)" in again.output


def test_sessions_are_cleaned_once_a_day_across_machines(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["sessions-clean"]).output.startswith("deleted")
    assert "已由" in runner.invoke(args=["sessions-clean"]).output


def test_remind_and_audit_verify_skip_while_another_machine_runs_them(app):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("advisory locks are PostgreSQL's; one SQLite machine does not overlap itself")
        with db.engine.connect() as other:  # another machine holds the locks
            for key in scheduled.LOCKS.values():
                other.execute(text("SELECT pg_advisory_lock(:k)"), {"k": key})
            runner = app.test_cli_runner()
            assert "跳过" in runner.invoke(args=["remind"]).output
            verify = runner.invoke(args=["audit-verify"])
            assert verify.exit_code == 0 and "跳过" in verify.output
            other.rollback()
            for key in scheduled.LOCKS.values():
                other.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
        assert "跳过" not in app.test_cli_runner().invoke(args=["audit-verify"]).output
