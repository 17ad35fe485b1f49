"""Two app servers on one PostgreSQL: nothing a person does depends on which server answers."""
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from portal.display.models import DisplayScreen
from portal.extensions import db
from portal.roles import Role
from portal.scheduled import JobRun
from tests.conftest import PASSWORD, PG_URL, csrf_from

pytestmark = pytest.mark.skipif(not PG_URL, reason="several app servers share a PostgreSQL database")
ROOT = Path(__file__).resolve().parent.parent
PDF = b"%PDF-1.7\n" + b"two servers " * 20
SCREEN = "two-servers-screen-token-0001"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One person's browser: a cookie kept by hand, sent to whichever server is asked."""

    def __init__(self):
        self.cookies, self.opener = {}, urllib.request.build_opener(_NoRedirect)

    def ask(self, base, path, data=None, headers=None, content_type=None):
        request = urllib.request.Request(base + path, data=data, headers=dict(headers or {}))
        if self.cookies:
            request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        if content_type:
            request.add_header("Content-Type", content_type)
        try:
            response = self.opener.open(request, timeout=30)
        except urllib.error.HTTPError as error:
            response = error
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        return response.status, response.headers, response.read()

    def form(self, base, path, fields, files=None):
        boundary = uuid.uuid4().hex
        parts = []
        for name, value in fields.items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
        for name, (filename, data) in (files or {}).items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                         f"Content-Type: application/pdf\r\n\r\n".encode() + data + b"\r\n")
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        return self.ask(base, path, body, content_type=f"multipart/form-data; boundary={boundary}")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(tmp_path, name):
    port, instance = _free_port(), tmp_path / name
    env = dict(os.environ, HALLDESK_ENV="development", DATABASE_URL=PG_URL, HALLDESK_INSTANCE=str(instance),
               SECRET_KEY="two-servers-shared-secret-key-0123456789")
    process = subprocess.Popen([str(Path(sys.executable).with_name("gunicorn")), "-w", "1", "-b",
                                f"127.0.0.1:{port}", "wsgi:app"], cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2)
            return process, base, instance
        except OSError:
            time.sleep(0.25)
    process.terminate()
    raise RuntimeError(f"server {name} did not start")


@pytest.fixture
def servers(app, hall, make_user, tmp_path):
    admin = make_user("liangtai", Role.ADMIN, department="office")
    with app.app_context():
        db.session.add(DisplayScreen(hall_id=hall["hall"], name="大厅屏", token=SCREEN, created_by_id=admin))
        db.session.commit()
        db.session.remove()
    started = [_start(tmp_path, "a"), _start(tmp_path, "b")]
    yield [(base, instance) for _p, base, instance in started]
    for process, _base, _instance in started:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture
def worker(app, servers, tmp_path):
    """The background worker beside the two servers, on the same PostgreSQL (as a county runs one)."""
    env = dict(os.environ, HALLDESK_ENV="development", DATABASE_URL=PG_URL, HALLDESK_INSTANCE=str(tmp_path / "w"),
               SECRET_KEY="two-servers-shared-secret-key-0123456789")
    with app.app_context():
        app.extensions["jobs"].ensure_tables()
        app.extensions["jobs"].huey.flush()  # messages other runs left in the shared database
        db.session.remove()
    process = subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "worker"], cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    yield process
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _csrf(page: bytes) -> str:
    return csrf_from(page.decode())


def _once(page: bytes) -> str:
    found = re.search(rb'name="once" type="hidden" value="([^"]*)"', page)
    return found.group(1).decode() if found else ""


def _sign_in(browser, base):
    _status, _h, page = browser.ask(base, "/login")
    status, _h, _b = browser.form(base, "/login", {"login": "liangtai", "password": PASSWORD,
                                                   "csrf_token": _csrf(page)})
    assert status == 302


def _notice(browser, base, title, files=None, **fields):
    _status, _h, page = browser.ask(base, "/notices/new")
    data = {"csrf_token": _csrf(page), "once": _once(page), "title": title, "category": "notice",
            "body": "正文", "audience": "staff", "action": "publish"} | fields
    status, headers, body = browser.form(base, "/notices/new", data, files)
    assert status == 302, body[:2000]
    return headers["Location"]


def test_sessions_uploads_and_emergencies_cross_between_two_servers(servers):
    (a, a_instance), (b, _b_instance) = servers
    person = Browser()
    _sign_in(person, a)
    assert person.ask(b, "/notices/")[0] == 200  # the session made on A works on B

    shown = _notice(person, a, "两台服务器的附件", {"attachments": ("通知.pdf", PDF)})
    _status, _h, page = person.ask(b, urlsplit(shown).path)
    link = re.search(rb'href="(/notices/\d+/files/[^"]+)"', page).group(1).decode()
    status, _h, served = person.ask(b, link)
    assert status == 200 and served == PDF  # uploaded through A, served by B
    assert not list(a_instance.rglob("*.pdf"))  # nothing of it on A's disk

    screen = Browser()
    status, headers, _body = screen.ask(b, f"/display/{SCREEN}/content")
    assert status == 200
    etag, started = headers["ETag"], time.monotonic()
    _notice(person, a, "紧急：大厅临时停电", audience="public", emergency="y")
    poll_seconds = DisplayScreen.poll_seconds.default.arg
    while True:
        status, headers, body = screen.ask(b, f"/display/{SCREEN}/content", headers={"If-None-Match": etag})
        if status == 200 or time.monotonic() - started > poll_seconds:
            break
        time.sleep(0.5)
    assert status == 200 and "紧急：大厅临时停电" in body.decode()  # within one poll interval
    assert time.monotonic() - started <= poll_seconds

    _status, _h, page = person.ask(b, "/notices/")
    assert person.form(b, "/logout", {"csrf_token": _csrf(page)})[0] == 302  # sign out on B
    for base in (a, b):
        status, headers, _body = person.ask(base, "/notices/")
        assert status == 302 and "/login" in headers["Location"]  # ended on both


def test_a_pdf_job_started_on_one_server_is_followed_and_fetched_on_the_other(servers, worker):
    (a, _a_instance), (b, _b_instance) = servers
    person = Browser()
    _sign_in(person, a)
    _status, _h, page = person.ask(a, "/patrol/")
    status, headers, _body = person.form(a, "/patrol/bulletin/make?quarter=2026-4", {"csrf_token": _csrf(page)})
    assert status == 303
    progress = urlsplit(headers["Location"]).path  # /pdf/jobs/<token>, asked of the other server from here on
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        status, _h, body = person.ask(b, progress, headers={"HX-Request": "true"})
        assert status == 200
        if "文档已生成" in body.decode() or "生成失败" in body.decode():
            break
        time.sleep(0.5)
    assert "文档已生成" in body.decode()
    status, headers, pdf = person.ask(b, progress + "/file")
    assert status == 200 and headers["Content-Type"] == "application/pdf" and pdf.startswith(b"%PDF")


def _command(tmp_path, name, *args):
    env = dict(os.environ, HALLDESK_ENV="development", DATABASE_URL=PG_URL, HALLDESK_INSTANCE=str(tmp_path / name),
               SECRET_KEY="two-servers-shared-secret-key-0123456789")
    return subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def test_a_daily_job_started_on_both_machines_at_once_does_its_work_once(app, hall, tmp_path):
    with app.app_context():
        db.session.remove()
    machines = [_command(tmp_path, name, "close-day", "2026-11-24") for name in ("a", "b")]
    outputs = [m.communicate(timeout=120)[0] for m in machines]
    assert [m.returncode for m in machines] == [0, 0], outputs
    skipped = [o for o in outputs if "已由" in o]  # says who ran it, and their result
    ran = [o for o in outputs if "missed patrol(s)" in o and o not in skipped]
    assert len(ran) == 1 and len(skipped) == 1, outputs
    with app.app_context():
        runs = db.session.execute(select(JobRun).where(JobRun.name == "close-day")).scalars().all()
        assert [(r.period, r.finished_at is not None) for r in runs] == [("2026-11-24", True)]
