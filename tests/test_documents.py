"""Document numbers (发文字号): a per-hall yearly sequence, issued on publishing, set by the admin."""
import threading
from datetime import datetime

import pytest

from portal.auth.models import User
from portal.documents import service as numbers
from portal.documents.models import IssuedDocument
from portal.extensions import db
from portal.org.models import Hall
from portal.roles import Role
from tests.conftest import frozen_clock, token

frozen = frozen_clock(datetime(2026, 12, 1, 9, 30))
HX = {"HX-Request": "true"}


def _issue(app, hall_id, user_id, title="关于窗口纪律的通报"):
    with app.app_context():
        doc = numbers.issue(hall_id, "bulletin", title, db.session.get(User, user_id))
        db.session.commit()
        return doc.label


def _second_hall(app):
    with app.app_context():
        other = Hall(name="示范市政务服务中心", level="city")
        db.session.add(other)
        db.session.commit()
        return other.id


def test_document_numbers_count_up_per_hall_and_year(app, hall, make_user, frozen):
    uid = make_user("bangong", Role.ADMIN)
    other = _second_hall(app)
    assert [_issue(app, hall["hall"], uid) for _ in range(3)] == [
        "测试政服〔2026〕1号", "测试政服〔2026〕2号", "测试政服〔2026〕3号"]
    assert _issue(app, other, uid) == "示范政服〔2026〕1号"  # another hall keeps its own count
    assert _issue(app, hall["hall"], uid) == "测试政服〔2026〕4号"


def test_document_numbers_start_again_at_one_in_a_new_year_with_the_same_prefix(app, hall, make_user, frozen):
    uid = make_user("bangong", Role.ADMIN)
    with app.app_context():
        numbers.set_series(db.session.get(Hall, hall["hall"]), 2026, "测试政办", "测试县政务服务中心", 12)
        db.session.commit()
    assert _issue(app, hall["hall"], uid) == "测试政办〔2026〕12号"
    frozen(datetime(2027, 1, 4, 9, 0))
    assert _issue(app, hall["hall"], uid) == "测试政办〔2027〕1号"
    with app.app_context():
        assert numbers.series_of(db.session.get(Hall, hall["hall"]), 2027).issuer == "测试县政务服务中心"


def test_two_documents_issued_at_once_never_share_a_number(app, hall, make_user, frozen):
    uid = make_user("bangong", Role.ADMIN)
    racers, gate, labels = 8, threading.Barrier(8), []

    def run():
        gate.wait()
        labels.append(_issue(app, hall["hall"], uid))
    threads = [threading.Thread(target=run) for _ in range(racers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert sorted(labels) == sorted(f"测试政服〔2026〕{n}号" for n in range(1, racers + 1))


def test_a_sequence_set_back_onto_an_issued_number_skips_it_instead_of_reusing_it(app, hall, make_user, frozen):
    uid = make_user("bangong", Role.ADMIN)
    _issue(app, hall["hall"], uid)
    _issue(app, hall["hall"], uid)
    with app.app_context():  # as if the admin's change raced an issue: the sequence points at number 2 again
        from portal.documents.models import DocumentSeries
        db.session.query(DocumentSeries).update({"next_number": 2})
        db.session.commit()
    assert _issue(app, hall["hall"], uid) == "测试政服〔2026〕3号"
    with app.app_context():
        assert sorted(d.number for d in db.session.query(IssuedDocument)) == [1, 2, 3]


# --- the admin page ---------------------------------------------------------------------------

def _save(client, csrf, **fields):
    data = {"csrf_token": csrf, "code": "示范政服", "issuer": "示范市政务服务中心", "next_number": "12", **fields}
    return client.post("/admin/documents", data=data, headers=HX)


def test_admin_sets_the_prefix_and_next_number_of_the_year(app, client, login_as, frozen):
    uid = login_as(Role.ADMIN)
    page = client.get("/admin/documents").get_data(as_text=True)
    assert "测试政服〔2026〕1号" in page and 'value="测试政服"' in page
    answer = _save(client, token(client, "/admin/documents"))
    assert answer.status_code == 200 and "示范政服〔2026〕12号" in answer.get_data(as_text=True)
    with app.app_context():
        assert numbers.issue(db.session.get(User, uid).hall_id, "publicity", "公示", db.session.get(User, uid)
                             ).label == "示范政服〔2026〕12号"
        db.session.commit()
        from portal.audit.models import AuditEvent
        assert db.session.query(AuditEvent).filter(AuditEvent.object_type == "document_series").count() >= 1
    listed = client.get("/admin/documents").get_data(as_text=True)
    assert "示范政服〔2026〕12号" in listed and "公示" in listed


def test_next_number_below_one_already_issued_is_refused_in_chinese(app, client, login_as, frozen):
    uid = login_as(Role.ADMIN)
    csrf = token(client, "/admin/documents")
    assert _save(client, csrf, next_number="5").status_code == 200
    with app.app_context():
        user = db.session.get(User, uid)
        for _ in range(3):
            numbers.issue(user.hall_id, "bulletin", "通报", user)  # 5, 6, 7
        db.session.commit()
    refused = _save(client, csrf, next_number="6")
    assert refused.status_code == 422 and "2026年已发出第7号，下一个编号须大于7" in refused.get_data(as_text=True)
    with app.app_context():
        assert numbers.series_of(db.session.get(User, uid).hall, 2026).next_number == 8


@pytest.mark.parametrize("fields,message", [
    ({"next_number": "十二"}, "下一个编号须是整数"), ({"next_number": "0"}, "下一个编号须在 1 到"),
    ({"code": ""}, "请填写机关代字"), ({"code": "示范〔政服〕"}, "不含括号和空格"),
    ({"issuer": ""}, "请填写发文机关名称")])
def test_bad_numbering_input_is_refused_in_chinese(client, login_as, frozen, fields, message):
    login_as(Role.ADMIN)
    answer = _save(client, token(client, "/admin/documents"), **fields)
    assert answer.status_code == 422 and message in answer.get_data(as_text=True)


def test_numbering_page_is_for_the_admin_only_and_needs_csrf(client, login_as, frozen):
    login_as(Role.SUPERVISOR)
    assert client.get("/admin/documents").status_code == 403
    client.post("/logout", data={"csrf_token": token(client, "/")})
    login_as(Role.ADMIN, "admin2")
    assert client.post("/admin/documents", data={"code": "示范政服", "issuer": "某中心", "next_number": "3"}
                       ).status_code == 400


def test_numbering_page_is_a_page_plainly_and_a_fragment_for_htmx(client, login_as, frozen):
    login_as(Role.ADMIN)
    page = client.get("/admin/documents").get_data(as_text=True)
    fragment = client.get("/admin/documents", headers=HX).get_data(as_text=True)
    assert "<html" in page and 'id="documents-panel"' in page
    assert "<html" not in fragment and 'id="documents-panel"' in fragment
    assert client.get("/admin/documents?year=2020").status_code == 404


def test_chinese_dates_of_documents_have_no_leading_zeros():
    from datetime import date
    assert numbers.cn_date(date(2026, 12, 1)) == "2026年12月1日"
    assert numbers.cn_span(date(2026, 11, 30), date(2026, 12, 6)) == "2026年11月30日—12月6日"
    assert numbers.cn_span(date(2026, 12, 28), date(2027, 1, 3)) == "2026年12月28日—2027年1月3日"
