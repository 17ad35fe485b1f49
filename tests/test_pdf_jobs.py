"""Long PDFs go through the job queue (run in place in tests) with a progress page; only the owner gets them."""
import time

from portal.extensions import db
from portal.org.models import Hall
from portal.pdf import start_job
from portal.roles import Role
from tests.conftest import csrf_from
from tests.pdftools import pdf_text


def _start(app, hall, owner_id):
    with app.test_request_context():
        return start_job("pdf/roster.html", "窗口人员一览表.pdf", owner_id,
                         hall=db.session.get(Hall, hall["hall"]), windows=[], departments=[])


def test_progress_page_polls_until_the_document_is_ready(app, client, login_as, hall):
    uid = login_as(Role.ADMIN)
    job = _start(app, hall, uid)
    first = client.get(f"/pdf/jobs/{job}", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert 'id="pdf-job"' in first and "<html" not in first
    deadline = time.time() + 60
    while time.time() < deadline:
        html = client.get(f"/pdf/jobs/{job}").get_data(as_text=True)
        if "打开 PDF" in html:
            break
        assert 'hx-trigger="every 1s"' in html and "正在生成" in html
        time.sleep(0.5)
    assert "打开 PDF" in html and "every 1s" not in html
    pdf = client.get(f"/pdf/jobs/{job}/file")
    assert pdf.mimetype == "application/pdf"
    assert "窗口人员一览表" in pdf_text(pdf.data)


def test_someone_else_cannot_see_or_fetch_the_job(app, client, login_as, make_user, hall):
    owner = make_user("owner", Role.ADMIN)
    job = _start(app, hall, owner)
    login_as(Role.ADMIN, "intruder")
    assert client.get(f"/pdf/jobs/{job}").status_code == 404
    assert client.get(f"/pdf/jobs/{job}/file").status_code == 404
    assert client.get("/pdf/jobs/..%2F..%2Fetc%2Fpasswd").status_code == 404


def test_the_bulletin_progress_page_links_back_to_the_patrol_page(app, client, login_as):
    login_as(Role.SUPERVISOR)
    started = client.post("/patrol/bulletin/make?quarter=2026-4", data={"csrf_token": csrf_from(
        client.get("/patrol/").get_data(as_text=True))})
    assert started.status_code == 303
    page = client.get(started.headers["Location"]).get_data(as_text=True)
    assert 'id="pdf-job-back" href="/patrol/">返回值班巡查</a>' in page
    poll = client.get(started.headers["Location"], headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "返回值班巡查" in poll


def test_the_progress_page_never_links_back_to_another_site(app, client, login_as, hall):
    uid = login_as(Role.ADMIN)
    job = _start(app, hall, uid)
    for target in ("//evil.example/", "/\\evil.example/", "https://evil.example/", "javascript:alert(1)"):
        html = client.get(f"/pdf/jobs/{job}", query_string={"back": target, "back_label": "巡查"})
        assert 'id="pdf-job-back"' not in html.get_data(as_text=True), target
