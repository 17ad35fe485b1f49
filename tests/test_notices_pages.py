"""Pages of the notice board: writing, attachments, the board, acknowledgement, receipts, home, print."""
import io

from portal.extensions import db
from portal.notices.models import Notice, NoticeRead
from portal.roles import Role
from portal.uploads.models import StoredFile
from tests.conftest import sign_in, token
from tests.notices_fixtures import frozen, make_notice, office_admin  # noqa: F401 - pytest fixtures
from tests.pdftools import pdf_text
from tests.querycount import count_queries

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _form(csrf, **extra):
    data = {"csrf_token": csrf, "title": "关于规范窗口着装的通知", "category": "notice", "body": "请**统一着装**。",
            "audience": "staff", "action": "publish"}
    data.update(extra)
    return data


def test_admin_publishes_a_notice_with_a_pdf_attachment(app, client, frozen, office_admin):
    sign_in(client, "admin")
    csrf = token(client, "/notices/new")
    answer = client.post("/notices/new", data=_form(csrf, attachments=(io.BytesIO(PDF), "制度.pdf")),
                         content_type="multipart/form-data")
    assert answer.status_code == 302
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "<strong>统一着装</strong>" in page and "制度.pdf" in page
    with app.app_context():
        notice = db.session.execute(db.select(Notice)).scalar_one()
        assert notice.state == "published"
        stored = db.session.execute(db.select(StoredFile)).scalar_one()
        assert (stored.owner_type, stored.owner_id) == ("notice", notice.id)
        nid, file_token = notice.id, stored.token
    served = client.get(f"/notices/{nid}/files/{file_token}")
    assert served.status_code == 200 and served.mimetype == "application/pdf"


def test_an_attachment_that_is_not_what_its_name_says_keeps_the_notice_a_draft(app, client, frozen, office_admin):
    sign_in(client, "admin")
    csrf = token(client, "/notices/new")
    answer = client.post("/notices/new", data=_form(csrf, attachments=(io.BytesIO(b"MZ\x90\x00 exe"), "通知.pdf")),
                         content_type="multipart/form-data")
    html = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert "附件未保存，公告仍为草稿" in html and "通知.pdf" in html and "不是PDF 或图片" in html
    with app.app_context():
        notice = db.session.execute(db.select(Notice)).scalar_one()
        assert notice.state == "draft"
        assert db.session.execute(db.select(StoredFile)).first() is None


def test_expiry_before_publish_time_is_refused_on_the_form(app, client, frozen, office_admin):
    sign_in(client, "admin")
    csrf = token(client, "/notices/new")
    answer = client.post("/notices/new", data=_form(csrf, publish_at="2026-11-24T09:00", expires_at="2026-11-23T18:00"))
    assert answer.status_code == 422 and "失效时间必须晚于发布时间" in answer.get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(db.select(Notice)).first() is None


def test_staff_cannot_write_notices_and_cannot_open_others_departments_notices(client, frozen, hall, make_user,
                                                                                 make_notice):
    make_user("gongan", Role.STAFF, department="police")
    nid = make_notice("税务内部", audience="departments", department_ids=[hall["tax"]])
    draft = make_notice("草稿", publish=False)
    sign_in(client, "gongan")
    assert client.get("/notices/new").status_code == 403
    assert client.get(f"/notices/{nid}").status_code == 404
    assert client.get(f"/notices/{draft}").status_code == 404
    assert client.get(f"/notices/{nid}/print.pdf").status_code == 404
    csrf = token(client, "/notices/")
    assert client.post(f"/notices/{nid}/ack", data={"csrf_token": csrf}).status_code == 404


def test_attachment_is_served_only_with_its_own_notice(app, client, frozen, hall, make_user, make_notice,
                                                      office_admin):
    from portal.auth.models import User
    from portal.uploads.service import save_bytes
    make_user("gongan", Role.STAFF, department="police")
    secret = make_notice("税务内部", audience="departments", department_ids=[hall["tax"]])
    open_one = make_notice("全体")
    with app.app_context():
        stored = save_bytes(PDF, "内部.pdf", "document", "notice", secret, db.session.get(User, office_admin))
        db.session.commit()
        file_token = stored.token
    sign_in(client, "gongan")
    assert client.get(f"/notices/{secret}/files/{file_token}").status_code == 404
    assert client.get(f"/notices/{open_one}/files/{file_token}").status_code == 404


def test_supervisor_cannot_edit_or_withdraw_the_admins_notice(client, frozen, make_user, make_notice):
    make_user("ducha", Role.SUPERVISOR, department="office")
    nid = make_notice("中心通知")
    sign_in(client, "ducha")
    csrf = token(client, "/notices/")
    assert client.get(f"/notices/{nid}/edit").status_code == 404
    assert client.post(f"/notices/{nid}/archive", data={"csrf_token": csrf}).status_code == 404
    assert client.get(f"/notices/{nid}/receipts").status_code == 404
    assert client.get(f"/notices/{nid}").status_code == 200  # reading it is fine


def test_board_marks_unread_until_opened(client, frozen, make_user, make_notice):
    make_user("chuangkou", Role.STAFF)
    nid = make_notice("新通知")
    sign_in(client, "chuangkou")
    assert "未读" in client.get("/notices/").get_data(as_text=True)
    client.get(f"/notices/{nid}")
    board = client.get("/notices/").get_data(as_text=True)
    assert "新通知" in board and "tag-unread" not in board


def test_board_fragment_and_page(client, frozen, make_user, make_notice):
    make_user("chuangkou", Role.STAFF)
    make_notice("通知一", category="rule")
    sign_in(client, "chuangkou")
    page = client.get("/notices/?category=rule").get_data(as_text=True)
    fragment = client.get("/notices/?category=rule", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" in page and "<html" not in fragment and 'id="notice-board"' in fragment and "通知一" in fragment


def test_must_read_is_first_on_home_until_acknowledged(app, client, frozen, make_user, make_notice):
    make_user("chuangkou", Role.STAFF)
    nid = make_notice("请阅知：新考勤制度", must_read=True, category="rule")
    sign_in(client, "chuangkou")
    home = client.get("/").get_data(as_text=True)
    assert "须阅知公告" in home and home.index("请阅知：新考勤制度") < home.index("tiles-section")
    client.get(f"/notices/{nid}")
    csrf = token(client, f"/notices/{nid}")
    acked = client.post(f"/notices/{nid}/ack", data={"csrf_token": csrf}, headers={"HX-Request": "true"})
    assert acked.status_code == 200 and "确认阅知" in acked.get_data(as_text=True)
    assert 'id="notice-ack"' in acked.get_data(as_text=True) and "<html" not in acked.get_data(as_text=True)
    assert "请阅知：新考勤制度" not in client.get("/").get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(db.select(NoticeRead)).scalar_one().acknowledged_at is not None


def test_author_sees_receipt_counts_change(client, frozen, make_user, make_notice):
    make_user("chuangkou", Role.STAFF, name="窗口甲")
    nid = make_notice("须阅知", must_read=True)
    admin = client.application.test_client()
    sign_in(admin, "admin")
    before = admin.get(f"/notices/{nid}/receipts").get_data(as_text=True)
    assert "已阅知 0 / 2 人" in before and "窗口甲" in before
    sign_in(client, "chuangkou")
    client.post(f"/notices/{nid}/ack", data={"csrf_token": token(client, f"/notices/{nid}")})
    after = admin.get(f"/notices/{nid}/receipts").get_data(as_text=True)
    assert "已阅知 1 / 2 人" in after


def test_edit_after_publishing_keeps_the_old_version_viewable(client, frozen, make_user, make_notice):
    make_user("chuangkou", Role.STAFF)
    nid = make_notice("原标题", body="原正文")
    sign_in(client, "admin")
    edit = client.get(f"/notices/{nid}/edit").get_data(as_text=True)
    csrf = token(client, f"/notices/{nid}/edit")
    revision = edit.split('name="revision" type="hidden" value="')[1].split('"')[0]
    saved = client.post(f"/notices/{nid}/edit", data=_form(csrf, title="新标题", body="新正文", revision=revision,
                                                          action="save"))
    assert saved.status_code == 302
    stale = client.post(f"/notices/{nid}/edit", data=_form(csrf, title="再改", revision=revision, action="save"))
    assert stale.status_code == 409
    client = client.application.test_client()
    sign_in(client, "chuangkou")
    shown = client.get(f"/notices/{nid}").get_data(as_text=True)
    assert "新标题" in shown and "第 1 版：原标题" in shown
    old = client.get(f"/notices/{nid}/versions/1").get_data(as_text=True)
    assert "原正文" in old and "修改前的第 1 版" in old


def test_notice_prints_as_a4_pdf_with_the_halls_header(client, frozen, make_user, make_notice):
    make_user("chuangkou", Role.STAFF)
    nid = make_notice("关于元旦放假的通知", body="元旦放假一天。")
    sign_in(client, "chuangkou")
    answer = client.get(f"/notices/{nid}/print.pdf")
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    text = pdf_text(answer.get_data())
    assert "测试政务服务中心" in text and "关于元旦放假的通知" in text and "元旦放假一天" in text


def test_board_query_count_does_not_grow_with_notices(app, client, frozen, hall, make_user, make_notice):
    make_user("chuangkou", Role.STAFF)
    for i in range(2):
        make_notice(f"公告{i}", must_read=True)
    sign_in(client, "chuangkou")
    client.get("/notices/")
    with count_queries(app) as small:
        assert client.get("/notices/").status_code == 200
    for i in range(25):
        chosen = i % 2
        make_notice(f"更多公告{i}", audience="departments" if chosen else "staff",
                    department_ids=[hall["tax"]] if chosen else [])
    with count_queries(app) as large:
        assert client.get("/notices/").status_code == 200
    assert len(large) == len(small) and len(large) <= 8, large


def test_an_attachment_over_the_rulebook_limit_is_refused_and_the_notice_kept_a_draft(app, client, frozen,
                                                                                      office_admin):
    from portal.auth.models import User
    from portal.rulebook import service as rules
    with app.app_context():
        assert rules.change("uploads.max_document_mb", "1", db.session.get(User, office_admin)) is None
    sign_in(client, "admin")
    csrf = token(client, "/notices/new")
    big = PDF + b"0" * (1024 * 1024 + 10)
    answer = client.post("/notices/new", data=_form(csrf, attachments=(io.BytesIO(big), "大文件.pdf")),
                         content_type="multipart/form-data")
    assert answer.status_code == 422 and "超过 1 MB" in answer.get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(db.select(Notice)).scalar_one().state == "draft"
