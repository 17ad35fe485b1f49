"""Rules of the notice board: scheduling, expiry, audiences, versions, receipts, posted documents."""
from datetime import timedelta

import pytest

from portal import clock
from portal.auth.models import User
from portal.extensions import db
from portal.notices import board, service
from portal.notices.models import Notice, NoticeRead
from portal.roles import Role
from portal.uploads import service as uploads
from tests.notices_fixtures import frozen, hours, make_notice, office_admin  # noqa: F401 - pytest fixtures

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _user(uid):
    return db.session.get(User, uid)


def _titles(user):
    rows, _more = board.board(user)
    return [n.title for n, _read, _ack in rows]


def test_scheduled_notice_appears_at_its_publish_time_and_leaves_at_expiry(app, frozen, make_user, make_notice):
    staff = make_user("chuangkou", Role.STAFF)
    with app.app_context():
        nid = make_notice("定时通知", publish_at=hours(2), expires_at=hours(5))
        assert "定时通知" not in _titles(_user(staff))
        frozen(clock.now() + timedelta(hours=2))
        assert "定时通知" in _titles(_user(staff))
        frozen(clock.now() + timedelta(hours=3))
        assert "定时通知" not in _titles(_user(staff))
        assert db.session.get(Notice, nid).state == "published"  # expired, not archived


def test_expiry_before_publish_time_is_refused(app, frozen, office_admin):
    with app.app_context():
        admin = _user(office_admin)
        with pytest.raises(service.NoticeError, match="失效时间必须晚于发布时间"):
            service.create(admin, service.Draft(title="错", publish_at=hours(5), expires_at=hours(3)))
        with pytest.raises(service.NoticeError, match="失效时间必须晚于发布时间"):
            service.create(admin, service.Draft(title="错", expires_at=hours(-1)))


def test_publishing_a_draft_whose_expiry_has_passed_is_refused(app, frozen, office_admin, make_notice):
    with app.app_context():
        nid = make_notice("草稿", publish=False, expires_at=hours(1))
        frozen(clock.now() + timedelta(hours=2))
        with pytest.raises(service.NoticeError):
            service.publish(_user(office_admin), db.session.get(Notice, nid))


def test_department_notice_is_seen_only_by_those_departments(app, frozen, hall, make_user, make_notice):
    tax = make_user("tax1", Role.STAFF, department="tax")
    police = make_user("police1", Role.STAFF, department="police")
    with app.app_context():
        make_notice("税务内部通知", audience="departments", department_ids=[hall["tax"]])
        make_notice("全体通知", audience="staff")
        assert set(_titles(_user(tax))) == {"税务内部通知", "全体通知"}
        assert _titles(_user(police)) == ["全体通知"]
        hidden = db.session.execute(db.select(Notice).filter_by(title="税务内部通知")).scalar_one()
        assert not service.can_see(_user(police), hidden)
        with pytest.raises(service.NoticeError) as refused:
            service.notice_for(_user(police), hidden.id)
        assert refused.value.status == 404


def test_department_audience_needs_departments_of_the_same_hall(app, frozen, office_admin):
    with app.app_context():
        admin = _user(office_admin)
        with pytest.raises(service.NoticeError, match="至少选择一个部门"):
            service.create(admin, service.Draft(title="x", audience="departments"))
        with pytest.raises(service.NoticeError, match="不属于本大厅"):
            service.create(admin, service.Draft(title="x", audience="departments", department_ids=[9999]))


def test_emergency_notice_must_be_public(app, frozen, office_admin):
    with app.app_context():
        with pytest.raises(service.NoticeError, match="紧急通知"):
            service.create(_user(office_admin), service.Draft(title="停电", emergency=True, audience="staff"))


def test_drafts_and_archived_notices_are_not_on_the_board(app, frozen, make_user, make_notice, office_admin):
    staff = make_user("chuangkou", Role.STAFF)
    with app.app_context():
        make_notice("草稿", publish=False)
        nid = make_notice("撤回的")
        service.archive(_user(office_admin), db.session.get(Notice, nid))
        db.session.commit()
        assert _titles(_user(staff)) == []


def test_pinned_first_then_newest(app, frozen, make_user, make_notice):
    staff = make_user("chuangkou", Role.STAFF)
    with app.app_context():
        make_notice("旧置顶", pinned=True)
        frozen(clock.now() + timedelta(minutes=5))
        make_notice("较早")
        frozen(clock.now() + timedelta(minutes=5))
        make_notice("最新")
        assert _titles(_user(staff)) == ["旧置顶", "最新", "较早"]


def test_search_and_category_filter(app, frozen, make_user, make_notice):
    staff = make_user("chuangkou", Role.STAFF)
    with app.app_context():
        make_notice("十月考勤公示", category="publicity", body="考勤结果")
        make_notice("巡查通报", category="bulletin", body="发现 3 个窗口 100% 空岗")
        user = _user(staff)
        assert [n.title for n, *_ in board.board(user, category="bulletin")[0]] == ["巡查通报"]
        assert [n.title for n, *_ in board.board(user, q="考勤")[0]] == ["十月考勤公示"]
        assert [n.title for n, *_ in board.board(user, q="100%")[0]] == ["巡查通报"]
        assert board.board(user, q="_")[0] == []  # a wildcard is searched as a character


def test_edit_after_publishing_keeps_the_earlier_version(app, frozen, office_admin, make_notice):
    with app.app_context():
        nid = make_notice("原标题", body="原正文")
        notice, admin = db.session.get(Notice, nid), _user(office_admin)
        service.update(admin, notice, service.Draft(title="新标题", body="新正文"), notice.revision)
        db.session.commit()
        versions = service.versions_of(nid)
        assert [(v.number, v.title, v.body) for v in versions] == [(1, "原标题", "原正文")]
        assert db.session.get(Notice, nid).title == "新标题"


def test_editing_a_draft_keeps_no_versions(app, frozen, office_admin, make_notice):
    with app.app_context():
        nid = make_notice("草稿", publish=False)
        service.update(_user(office_admin), db.session.get(Notice, nid), service.Draft(title="草稿二"))
        db.session.commit()
        assert service.versions_of(nid) == []


def test_an_edit_from_a_stale_page_is_refused(app, frozen, office_admin, make_notice):
    with app.app_context():
        nid = make_notice("原标题")
        notice = db.session.get(Notice, nid)
        stale = notice.revision
        service.update(_user(office_admin), notice, service.Draft(title="第一次修改"), stale)
        db.session.commit()
        with pytest.raises(service.NoticeError) as refused:
            service.update(_user(office_admin), db.session.get(Notice, nid), service.Draft(title="第二次"), stale)
        assert refused.value.status == 409


def test_supervisor_manages_only_their_own_notices(app, frozen, make_user, make_notice):
    ducha = make_user("ducha", Role.SUPERVISOR, department="office")
    with app.app_context():
        theirs = make_notice("督查通报", author=ducha)
        admins = make_notice("中心通知")
        assert service.can_manage(_user(ducha), db.session.get(Notice, theirs))
        assert not service.can_manage(_user(ducha), db.session.get(Notice, admins))


def test_read_receipts_and_acknowledgement(app, frozen, hall, make_user, make_notice):
    tax = make_user("tax1", Role.STAFF, department="tax", name="甲")
    make_user("police1", Role.STAFF, department="police", name="乙")
    make_user("shenji", Role.AUDITOR, department="office", name="审计")
    with app.app_context():
        nid = make_notice("须阅知通知", must_read=True)
        notice = db.session.get(Notice, nid)
        assert [n.id for n in board.unread_must_read(_user(tax))] == [nid]
        service.mark_read(_user(tax), notice)
        db.session.commit()
        assert [n.id for n in board.unread_must_read(_user(tax))] == [nid]  # opened is not acknowledged
        service.acknowledge(_user(tax), notice)
        first = db.session.execute(db.select(NoticeRead).filter_by(user_id=tax)).scalar_one().acknowledged_at
        db.session.commit()
        frozen(clock.now() + timedelta(hours=1))
        service.acknowledge(_user(tax), notice)  # twice: the first moment is kept
        db.session.commit()
        assert db.session.execute(db.select(NoticeRead).filter_by(user_id=tax)).scalar_one().acknowledged_at == first
        assert board.unread_must_read(_user(tax)) == []
        groups = {g.name: g for g in board.receipts(notice)}
        assert groups["税务局"].done == ["甲"] and groups["公安局户政"].pending == ["乙"]
        assert "审计" not in groups.get("综合科", board.DepartmentReceipts("综合科")).pending


def test_acknowledging_a_notice_not_addressed_to_you_is_refused(app, frozen, hall, make_user, make_notice):
    police = make_user("police1", Role.STAFF, department="police")
    with app.app_context():
        nid = make_notice("税务", must_read=True, audience="departments", department_ids=[hall["tax"]])
        with pytest.raises(service.NoticeError):
            service.acknowledge(_user(police), db.session.get(Notice, nid))


def test_post_document_publishes_a_notice_with_the_pdf_attached(app, frozen, office_admin, make_user):
    staff = make_user("chuangkou", Role.STAFF)
    with app.app_context():
        notice = service.post_document("2026年11月坐班通报", "通报", PDF, "坐班通报.pdf", _user(office_admin))
        assert notice.state == "published" and notice.category == "bulletin" and notice.audience == "staff"
        files = uploads.files_of("notice", [notice.id])[notice.id]
        assert [f.original_name for f in files] == ["坐班通报.pdf"] and files[0].mime == "application/pdf"
        assert "2026年11月坐班通报" in _titles(_user(staff))


def test_post_document_refuses_bytes_that_are_not_a_pdf(app, frozen, office_admin):
    with app.app_context():
        with pytest.raises(uploads.UploadRefused):
            service.post_document("坏文件", "bulletin", b"<html>not a pdf</html>", "x.pdf", _user(office_admin))
