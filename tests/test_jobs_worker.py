"""Background jobs run by a real worker process (`flask worker`), N at once; state and result in the database.

One worker and one database serve the whole module (starting a worker costs seconds), so the tests
here share a hall and each signs in under its own name.
"""
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select, update

from portal import clock, create_app
from portal.extensions import db
from portal.jobs import service
from portal.jobs.models import RUNNING, BackgroundJob
from portal.org.models import Hall
from portal.pdf import render_html, start_job
from portal.roles import Role
from tests import conftest
from tests.conftest import PG_URL, csrf_from, sign_in
from tests.pdftools import pdf_text

ROOT = Path(__file__).resolve().parent.parent
WAIT_S = 120


class Worker:
    """The worker command in a child process, started and stopped by the tests."""

    def __init__(self, url: str, instance: Path):
        self.env = {**os.environ, "DATABASE_URL": url, "HALLDESK_INSTANCE": str(instance),
                    "HALLDESK_ENV": "development", "HALLDESK_JOBS_AT_ONCE": "1",
                    "HALLDESK_JOBS_PER_PROCESS": "2"}  # the third job runs in a recycled process
        self.log = instance / "worker.log"
        self.proc = None

    def start(self):
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "worker"], cwd=ROOT,
                                         env=self.env, stdout=log, stderr=subprocess.STDOUT)

    def stop(self):
        """Stop the worker as Ctrl-C does: running jobs finish first."""
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


@pytest.fixture(scope="module")
def module_app(tmp_path_factory):
    """One portal and database for the module, with the queue on (not run in place as elsewhere in tests)."""
    tmp = tmp_path_factory.mktemp("jobs")
    url = PG_URL or f"sqlite:///{tmp / 'test.sqlite3'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_DIR": tmp, "UPLOAD_DIR": tmp / "uploads",
                      "QUEUE_IMMEDIATE": False, "JOBS_AT_ONCE": 1})
    with app.app_context():
        conftest._reset_postgres() if PG_URL else db.create_all()
        app.extensions["jobs"].ensure_tables()
        app.extensions["jobs"].huey.flush()  # messages other runs left in a shared PostgreSQL
    worker = Worker(url, tmp)
    app.extensions["test_worker"] = worker
    yield app
    worker.stop()
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def app(module_app):
    return module_app


@pytest.fixture
def worker(module_app):
    return module_app.extensions["test_worker"]


@pytest.fixture(scope="module")
def module_hall(module_app):
    with module_app.app_context():
        h = Hall(name="测试政务服务中心", level="county")
        db.session.add(h)
        db.session.commit()
        return {"hall": h.id, "tax": None}


@pytest.fixture
def hall(module_hall):
    return module_hall


def _start(app, hall, owner_id, title="窗口人员一览表"):
    with app.test_request_context():
        return start_job("pdf/roster.html", f"{title}.pdf", owner_id,
                         hall=db.session.get(Hall, hall["hall"]), windows=[], departments=[])


def _jobs(app, tokens):
    with app.app_context():
        rows = db.session.execute(select(BackgroundJob).where(BackgroundJob.token.in_(tokens))).scalars()
        by_token = {j.token: (j.state, j.started_at, j.finished_at) for j in rows}
        db.session.remove()
    return [by_token[t] for t in tokens]


def _wait_done(app, tokens, watch=None):
    deadline = time.time() + WAIT_S
    while time.time() < deadline:
        rows = _jobs(app, tokens)
        if watch:
            watch(rows)
        if all(state in ("done", "failed") for state, _, _ in rows):
            return rows
        time.sleep(0.3)
    raise AssertionError(f"jobs not finished in {WAIT_S}s: {rows}")


def test_waiting_jobs_show_their_place_and_the_worker_runs_one_at_a_time(app, client, make_user, hall, worker):
    owner = make_user("queue-owner", Role.ADMIN, department=None)
    sign_in(client, "queue-owner")
    jobs = [_start(app, hall, owner, f"一览表{n}") for n in range(3)]
    for place, job in enumerate(jobs, start=1):  # no worker yet: all three wait, in order
        html = client.get(f"/pdf/jobs/{job}").get_data(as_text=True)
        assert f"排在第 {place} 位" in html and "同时最多生成 1 份" in html and 'hx-trigger="every 1s"' in html
    fragment = client.get(f"/pdf/jobs/{jobs[0]}", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert 'id="pdf-job"' in fragment and "<html" not in fragment

    def at_most_one_running(rows):
        assert sum(state == RUNNING for state, _, _ in rows) <= 1

    worker.start()
    rows = _wait_done(app, jobs, at_most_one_running)
    assert [state for state, _, _ in rows] == ["done"] * 3
    for (_, _, finished), (_, started, _) in zip(rows, rows[1:], strict=False):
        assert started >= finished, "with JOBS_AT_ONCE=1 a job starts only after the one before it ended"
    html = client.get(f"/pdf/jobs/{jobs[2]}").get_data(as_text=True)
    assert "打开 PDF" in html and "every 1s" not in html
    pdf = client.get(f"/pdf/jobs/{jobs[2]}/file")
    assert pdf.mimetype == "application/pdf" and "窗口人员一览表" in pdf_text(pdf.data)


def test_a_job_queued_while_the_worker_is_down_runs_when_it_comes_back(app, client, make_user, hall, worker):
    owner = make_user("restart-owner", Role.ADMIN, department=None)
    sign_in(client, "restart-owner")
    worker.stop()
    job = _start(app, hall, owner)
    time.sleep(1.5)
    assert "排在第 1 位" in client.get(f"/pdf/jobs/{job}").get_data(as_text=True)
    worker.start()
    assert _wait_done(app, [job])[0][0] == "done"
    assert client.get(f"/pdf/jobs/{job}/file").mimetype == "application/pdf"


def test_jobs_whose_worker_died_or_whose_message_was_lost_are_run_again(app, make_user, hall, worker):
    owner = make_user("orphan-owner", Role.ADMIN, department=None)
    with app.test_request_context():
        html = render_html("pdf/roster.html", hall=db.session.get(Hall, hall["hall"]), windows=[], departments=[])
        long_ago = clock.now() - timedelta(seconds=3 * app.config["JOB_TIMEOUT_SECONDS"])
        # One a worker took long ago and was killed mid-render; one whose message never reached the queue.
        db.session.add_all([
            BackgroundJob(token="orphaned-job-0001", kind="pdf", owner_id=owner, label="一览表.pdf", payload=html,
                          state=RUNNING, started_at=long_ago, attempts=1, created_at=long_ago),
            BackgroundJob(token="lost-message-0001", kind="pdf", owner_id=owner, label="一览表.pdf", payload=html,
                          created_at=long_ago)])
        db.session.commit()
        service.tidy()  # what the worker does at start-up and every minute
        db.session.remove()
    assert [s for s, _, _ in _wait_done(app, ["orphaned-job-0001", "lost-message-0001"])] == ["done", "done"]


def test_the_bulletin_started_on_one_server_is_fetched_from_another(app, client, make_user, hall, worker):
    make_user("bulletin-sup", Role.SUPERVISOR, department=None)
    sign_in(client, "bulletin-sup")
    worker.start() if worker.proc is None or worker.proc.poll() is not None else None
    csrf = csrf_from(client.get("/patrol/").get_data(as_text=True))
    started = client.post("/patrol/bulletin/make?quarter=2026-4", data={"csrf_token": csrf})
    assert started.status_code == 303 and "/pdf/jobs/" in started.headers["Location"]
    job = urlsplit(started.headers["Location"]).path.rsplit("/", 1)[1]
    other = create_app({**{k: app.config[k] for k in ("SQLALCHEMY_DATABASE_URI", "QUEUE_IMMEDIATE")},
                        "INSTANCE_DIR": app.config["INSTANCE_DIR"] / "second-server"})
    assert _wait_done(app, [job])[0][0] == "done"
    second = other.test_client()
    sign_in(second, "bulletin-sup")
    assert "打开 PDF" in second.get(f"/pdf/jobs/{job}").get_data(as_text=True)
    text = "".join(pdf_text(second.get(f"/pdf/jobs/{job}/file").get_data()).split())
    assert "值班巡查情况通报" in text
    with other.app_context():
        db.engine.dispose()


def test_nobody_else_reads_a_job_and_old_results_are_dropped(app, client, make_user, hall):
    owner = make_user("private-owner", Role.ADMIN, department=None)
    job = _start(app, hall, owner)
    make_user("someone-else", Role.ADMIN, department=None)
    sign_in(client, "someone-else")
    assert client.get(f"/pdf/jobs/{job}").status_code == 404
    assert client.get(f"/pdf/jobs/{job}/file").status_code == 404
    with app.app_context():
        db.session.execute(update(BackgroundJob).values(created_at=clock.now() - timedelta(days=2)))
        db.session.commit()
        done = db.session.execute(select(BackgroundJob.token).where(BackgroundJob.state == "done")).scalars().all()
        service.tidy()
        left = db.session.execute(select(BackgroundJob.token)).scalars().all()
        db.session.remove()
    assert done and not set(done) & set(left)
