"""A must-read notice edited after people acknowledged it: a change of substance asks them again."""
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.auth.models import User
from portal.extensions import db
from portal.notices import board, service
from portal.notices.models import Notice, NoticeRead
from portal.roles import Role
from tests.conftest import sign_in, token
from tests.notices_fixtures import frozen, make_notice, office_admin  # noqa: F401 - pytest fixtures


def _acknowledged(app, user_id, nid):
    with app.app_context():
        service.acknowledge(db.session.get(User, user_id), db.session.get(Notice, nid))
        db.session.commit()


def _unread(app, user_id):
    with app.app_context():
        return [n.title for n in board.unread_must_read(db.session.get(User, user_id))]


def _edit(app, office_admin, nid, body, reask):
    with app.app_context():
        notice = db.session.get(Notice, nid)
        draft = service.Draft(title=notice.title, body=body, must_read=True, reask=reask)
        service.update(db.session.get(User, office_admin), notice, draft, notice.revision)
        db.session.commit()


def test_change_of_substance_to_an_acknowledged_must_read_notice_asks_everyone_again(app, frozen, make_user,
                                                                                     make_notice, office_admin):
    clerk = make_user("chuangkou", Role.STAFF)
    nid = make_notice("着装规定", body="周一至周五统一着装", must_read=True)
    _acknowledged(app, clerk, nid)
    assert _unread(app, clerk) == []
    _edit(app, office_admin, nid, "周一至周六统一着装", reask=True)
    assert _unread(app, clerk) == ["着装规定"]
    _acknowledged(app, clerk, nid)
    with app.app_context():
        rows = db.session.execute(select(NoticeRead).order_by(NoticeRead.ack_round)).scalars().all()
        assert [(r.ack_round, r.acknowledged_at is not None) for r in rows] == [(1, True), (2, True)]
        assert db.session.execute(select(AuditEvent).where(AuditEvent.event == "notice.reask")).scalar_one()


def test_typo_fix_keeps_the_acknowledgements(app, frozen, make_user, make_notice, office_admin):
    clerk = make_user("chuangkou", Role.STAFF)
    nid = make_notice("着装规定", body="周一至周五统一着妆", must_read=True)
    _acknowledged(app, clerk, nid)
    _edit(app, office_admin, nid, "周一至周五统一着装", reask=False)
    assert _unread(app, clerk) == []


def test_editing_the_text_of_an_acknowledged_notice_must_say_which_kind_of_change(app, frozen, make_user,
                                                                                  make_notice, office_admin):
    clerk = make_user("chuangkou", Role.STAFF)
    nid = make_notice("着装规定", body="周一至周五统一着装", must_read=True)
    _acknowledged(app, clerk, nid)
    client = app.test_client()
    sign_in(client, "admin")
    page = client.get(f"/notices/{nid}/edit").get_data(as_text=True)
    assert "内容有实质性修改，需重新阅知" in page and "仅更正错字" in page
    revision = page.split('name="revision" type="hidden" value="')[1].split('"')[0]
    data = {"csrf_token": token(client, f"/notices/{nid}/edit"), "title": "着装规定", "category": "notice",
            "body": "周一至周六统一着装", "audience": "staff", "must_read": "y", "revision": revision,
            "action": "save"}
    unsaid = client.post(f"/notices/{nid}/edit", data=data)
    assert unsaid.status_code == 422 and "请选择这次修改" in unsaid.get_data(as_text=True)
    assert _unread(app, clerk) == []
    saved = client.post(f"/notices/{nid}/edit", data={**data, "change": "substance"})
    assert saved.status_code == 302 and _unread(app, clerk) == ["着装规定"]


def test_no_choice_is_asked_before_anyone_acknowledged(client, frozen, make_notice):
    nid = make_notice("着装规定", must_read=True)
    sign_in(client, "admin")
    assert "需重新阅知" not in client.get(f"/notices/{nid}/edit").get_data(as_text=True)
