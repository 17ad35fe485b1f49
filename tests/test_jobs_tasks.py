"""Background tasks beside PDFs: run by the worker as the person who asked, in their hall; read from any server."""
from datetime import datetime

import pytest
from flask import g
from flask_login import current_user
from sqlalchemy import func, select

from portal import clock, jobs
from portal.attendance import formats
from portal.attendance import import_views as attendance_imports
from portal.attendance.models import Punch
from portal.auth.models import User
from portal.extensions import db
from portal.imports import background
from portal.imports.models import ImportBatch, ImportPreview
from portal.jobs import tasks
from portal.jobs.models import BackgroundJob
from portal.refusals import Refusal
from portal.roles import Role
from portal.rulebook import service as rules
from tests.attendance_fixtures import ZKTECO_DAT, clerks, frozen, upload  # noqa: F401
from tests.conftest import csrf_from, sign_in


@pytest.fixture
def task():
    """A task that says who ran it and in which hall, or refuses when asked to."""
    def where(refuse=False):
        if refuse:
            db.session.add(BackgroundJob(token="never-saved", kind="x", label="x", payload=""))
            raise Refusal("本月已公示，不能再导入")
        return jobs.Outcome(f"{current_user.login}@{current_user.hall_id}:{rules.get('patrol.per_day')}", "/scores/")
    jobs.register_task("test.where", where)
    yield
    tasks.TASKS.pop("test.where")


def _start(app, login, **arguments):
    with app.test_request_context("/"):
        user = db.session.execute(select(User).where(User.login == login)).scalar_one()
        g._login_user = user
        return jobs.start("test.where", user, "测试任务", **arguments)


def test_a_task_runs_as_its_owner_in_their_hall_and_only_its_owner_reads_the_outcome(app, client, hall, login_as,
                                                                                   make_user, task):
    login_as(Role.ADMIN, "renwu")
    token = _start(app, "renwu")
    with app.app_context():
        per_day = rules.get("patrol.per_day", hall["hall"])
    page = client.get(f"/jobs/{token}").get_data(as_text=True)
    assert f"已完成：renwu@{hall['hall']}:{per_day}" in page and 'href="/scores/"' in page and "<html" in page
    fragment = client.get(f"/jobs/{token}", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in fragment and 'id="task-job"' in fragment
    make_user("other", Role.STAFF)
    other = app.test_client()
    sign_in(other, "other")
    assert other.get(f"/jobs/{token}").status_code == 404


def test_a_refused_task_shows_its_message_and_saves_nothing(app, client, login_as, task):
    login_as(Role.ADMIN, "renwu2")
    token = _start(app, "renwu2", refuse=True)
    page = client.get(f"/jobs/{token}").get_data(as_text=True)
    assert "本月已公示，不能再导入" in page and "已完成" not in page
    with app.app_context():
        assert db.session.execute(select(BackgroundJob).where(BackgroundJob.token == "never-saved")).first() is None
        assert db.session.execute(select(BackgroundJob.state).where(BackgroundJob.token == token)).scalar() == "done"


def _confirm(client, app):
    with app.app_context():
        token = db.session.execute(select(ImportPreview.token)).scalar_one()
    page = client.get(f"/attendance/import/{token}").get_data(as_text=True)
    return client.post(f"/attendance/import/{token}/confirm", data={"csrf_token": csrf_from(page)})


def test_a_big_import_is_confirmed_by_the_worker_exactly_as_the_preview_showed(app, client, login_as, clerks,
                                                                              frozen, upload):
    login_as(Role.SUPERVISOR, "dc")
    upload(ZKTECO_DAT, "1_attlog.dat", formats.ZKTECO)
    app.config["IMPORT_BACKGROUND_ROWS"] = 5  # the preview keeps 5 rows: big enough here
    answer = _confirm(client, app)
    assert answer.status_code == 303 and answer.headers["Location"].startswith("/jobs/")
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        batch = db.session.execute(select(ImportBatch)).scalar_one()
        assert batch.saved == 5 and batch.imported_by.login == "dc"
        assert db.session.execute(select(func.count(Punch.id))).scalar_one() == 5
    assert "已导入 5 条打卡记录（1_attlog.dat）" in page and f"/attendance/imports/{batch.id}" in page


def test_a_small_import_is_still_confirmed_in_the_request(app, client, login_as, clerks, frozen, upload):
    login_as(Role.SUPERVISOR, "dc2")
    upload(ZKTECO_DAT, "1_attlog.dat", formats.ZKTECO)
    app.config["IMPORT_BACKGROUND_ROWS"] = 6
    answer = _confirm(client, app)
    assert answer.status_code == 303 and "/attendance/imports/" in answer.headers["Location"]
    with app.app_context():
        assert db.session.execute(select(BackgroundJob)).first() is None


def test_a_preview_confirmed_meanwhile_is_refused_by_the_worker_with_its_message(app, client, login_as, clerks,
                                                                                 frozen, upload):
    login_as(Role.SUPERVISOR, "dc3")
    upload(ZKTECO_DAT, "1_attlog.dat", formats.ZKTECO)
    with app.test_request_context("/"):
        g._login_user = db.session.execute(select(User).where(User.login == "dc3")).scalar_one()
        token = db.session.execute(select(ImportPreview.token)).scalar_one()
        first = background.confirm_later(attendance_imports.PAGES, token, g._login_user)
        again = background.confirm_later(attendance_imports.PAGES, token, g._login_user)
    assert "已导入 5 条打卡记录" in client.get(f"/jobs/{first}").get_data(as_text=True)
    assert "这份预览已失效或已经导入" in client.get(f"/jobs/{again}").get_data(as_text=True)


def test_the_worker_starts_the_reminders_once_per_period_however_many_workers_run(app, hall):
    clock.freeze(datetime(2026, 11, 24, 10, 30))
    jobs.every("remind", 15)
    try:
        with app.app_context():
            first, second = tasks.run_schedule(), tasks.run_schedule()  # two workers' schedulers, same minute
            assert len(first) == 1 and second == []
            job = db.session.execute(select(BackgroundJob).where(BackgroundJob.token == first[0])).scalar_one()
            assert (job.kind, job.owner_id, job.state) == ("remind", None, "done")
            assert tasks.outcome(job).message.startswith("待办提醒：")
        clock.freeze(datetime(2026, 11, 24, 10, 31))
        with app.app_context():
            assert tasks.run_schedule() == []  # not a period's first minute
    finally:
        jobs.every("remind", 0)
        clock.freeze(None)


def test_remind_queue_hands_the_run_to_the_worker(app, hall):
    result = app.test_cli_runner().invoke(args=["remind", "--queue"])
    assert result.exit_code == 0 and "已交给后台任务" in result.output
    with app.app_context():
        job = db.session.execute(select(BackgroundJob).where(BackgroundJob.kind == "remind")).scalar_one()
        assert job.state == "done" and job.owner_id is None
