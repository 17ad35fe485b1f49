"""The month's 公示 of overdue cases: a 样稿 when previewed, a numbered document (发文字号) when published."""
from portal.documents.models import IssuedDocument
from portal.extensions import db
from portal.notices.models import Notice
from portal.uploads.models import StoredFile
from tests.cases_fixtures import clerks, export, frozen, imported, row  # noqa: F401
from tests.conftest import sign_in, token
from tests.pdftools import pdf_text

NOVEMBER = export(row("BJ090", "2026-11-20 09:00", 2),  # due the 24th, still open: overdue in November
                  row("BJ091", "2026-11-20 09:00", 2, finished="2026-11-23 10:00"))


def _posted_pdf(app, client, notice_id) -> str:
    with app.app_context():
        stored = db.session.query(StoredFile).filter_by(owner_type="notice", owner_id=notice_id).one()
    return pdf_text(client.get(f"/notices/{notice_id}/files/{stored.token}").data)


def test_the_overdue_cases_publicity_is_numbered_when_published_not_when_previewed(app, client, hall, frozen,
                                                                                 imported, clerks):
    imported(NOVEMBER)
    sign_in(client, "caseadmin")
    preview = pdf_text(client.get("/cases/month.pdf?month=2026-11").data)
    assert "样稿" in preview and "〔2026〕1号" not in preview and "BJ090" in preview
    csrf = token(client, "/cases/month?month=2026-11")
    answer = client.post("/cases/month/publish?month=2026-11", data={"csrf_token": csrf})
    assert answer.status_code == 303, answer.get_data(as_text=True)[:300]
    notice_id = int(answer.headers["Location"].rstrip("/").split("/")[-1])
    posted = _posted_pdf(app, client, notice_id)
    assert "〔2026〕1号" in posted and "样稿" not in posted and "BJ090" in posted and "BJ091" not in posted
    again = client.post("/cases/month/publish?month=2026-11", data={"csrf_token": csrf})  # a second tap
    assert again.headers["Location"] == answer.headers["Location"]
    with app.app_context():
        notice = db.session.get(Notice, notice_id)
        assert notice.title == "关于2026年11月超期办件情况的公示" and notice.category == "publicity"
        assert db.session.query(IssuedDocument).filter_by(kind="publicity").count() == 1


def test_the_running_month_is_not_published_and_nothing_is_numbered(app, client, hall, frozen, imported, clerks):
    sign_in(client, "caseadmin")
    csrf = token(client, "/cases/month")
    answer = client.post("/cases/month/publish?month=2026-12", data={"csrf_token": csrf},
                         headers={"HX-Request": "true"})
    assert answer.status_code == 409 and "本月尚未结束" in answer.get_data(as_text=True)
    assert 'id="case-month"' in answer.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(IssuedDocument).count() == 0
