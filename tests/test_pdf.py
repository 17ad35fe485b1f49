"""The roster PDF: Chinese text that can be read back, in an embedded CJK font."""
from portal.extensions import db
from portal.org.models import Window
from portal.pdf import render_pdf
from portal.roles import Role
from tests.pdftools import pdf_fonts, pdf_text


def test_roster_pdf_lists_windows_departments_and_posts(app, client, login_as, make_user, hall):
    login_as(Role.ADMIN)
    clerk = make_user("clerk", Role.STAFF, name="李秀英")
    with app.app_context():
        window = db.session.query(Window).filter_by(number=1).one()
        window.a_post_id = clerk
        db.session.commit()
    response = client.get("/admin/roster.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    for expected in ("窗口人员一览表", "测试政务服务中心", "税务局", "公安局户政", "李秀英", "税务综合窗口"):
        assert expected in text
    fonts = pdf_fonts(response.data)
    cjk = [line for line in fonts.splitlines() if "Noto-Sans-CJK" in line]
    assert cjk and all(" yes " in line for line in cjk)  # a CJK font, embedded


def test_pdf_render_in_a_child_process_gives_the_same_document(app, hall):
    app.config["PDF_IN_CHILD_PROCESS"] = True
    with app.test_request_context():
        from portal.org.models import Hall
        data = render_pdf("pdf/roster.html", hall=db.session.get(Hall, hall["hall"]),
                          windows=[], departments=[])
    assert data.startswith(b"%PDF-")
    assert "窗口人员一览表" in pdf_text(data)


def test_pdf_cannot_fetch_files_outside_static(app, hall, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("top secret")
    from portal.pdf import html_to_pdf
    data = html_to_pdf(f'<html><body><p>ok</p><img src="file://{secret}"><link rel="stylesheet" '
                       f'href="http://127.0.0.1:9/x.css"></body></html>')
    assert "ok" in pdf_text(data)
