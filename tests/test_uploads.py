"""Uploads are served under a clean base name: documents download, images show inline only where embedded."""
import io

import pytest
from werkzeug.datastructures import FileStorage

from portal.extensions import db
from portal.uploads import service as uploads
from portal.uploads.models import StoredFile
from tests.conftest import sign_in, token
from tests.notices_fixtures import frozen, office_admin  # noqa: F401 - pytest fixtures

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TRAVERSAL = "../../../../etc/x.png"


@pytest.mark.parametrize("name,clean", [(TRAVERSAL, "x.png"), ("C:\\Users\\王\\照片.png", "照片.png"),
                                        ('a"b\r\n.png', "ab.png"), ("../..", "附件.png"), ("", "附件.png")])
def test_an_uploaded_name_keeps_only_its_clean_base_name(name, clean):
    assert uploads.base_name(name, ".png") == clean


def _attach(client, data, name):
    sign_in(client, "admin")
    form = {"csrf_token": token(client, "/notices/new"), "title": "关于规范窗口着装的通知", "category": "notice",
            "body": "请统一着装。", "audience": "staff", "action": "publish", "attachments": (io.BytesIO(data), name)}
    assert client.post("/notices/new", data=form, content_type="multipart/form-data").status_code == 302


def _served(app, client):
    with app.app_context():
        stored = db.session.execute(db.select(StoredFile)).scalar_one()
        assert "/" not in stored.original_name
        url = f"/notices/{stored.owner_id}/files/{stored.token}"
    return client.get(url)


@pytest.mark.parametrize("data", [PNG, PDF], ids=["image", "pdf"])
def test_a_notice_attachment_downloads_under_its_base_name_only(app, client, frozen, office_admin, data):
    _attach(client, data, TRAVERSAL if data is PNG else "../../制度.pdf")
    disposition = _served(app, client).headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and ".." not in disposition and "/" not in disposition


def test_an_image_is_inline_only_where_the_portal_embeds_it(app, hall):
    with app.test_request_context():
        stored = uploads.save(FileStorage(io.BytesIO(PNG), filename=TRAVERSAL), "image", "test", None, None)
        db.session.commit()
        embedded = uploads.send(stored, embedded=True).headers["Content-Disposition"]
        linked = uploads.send(stored).headers["Content-Disposition"]
    assert embedded == "inline; filename=x.png" and linked == "attachment; filename=x.png"
