"""Access to the notice board (公告栏) and the hall screens (大厅屏幕)."""
from portal.roles import Role

AUTHORS = {Role.ADMIN, Role.SUPERVISOR}
ADMIN = {Role.ADMIN}
READERS = {r for r in Role if r != Role.AUDITOR}

# Record-level rules (a supervisor only manages their own notices, staff see only what is
# addressed to them) are tested in tests/test_notices_pages.py; here the seeded notice is a
# live one for all staff, so every signed-in role may open it.
ROUTES = {
    "notices.index": (READERS, {}),
    "notices.show": (READERS, {"notice_id": "notice"}),
    "notices.acknowledge": (READERS, {"notice_id": "notice"}),
    "notices.version": (READERS, {"notice_id": "notice", "number": "notice_version"}),
    "notices.attachment": (READERS, {"notice_id": "notice", "token": "notice_file"}),
    "notices.print_pdf": (READERS, {"notice_id": "notice"}),
    "notices.receipts": (AUTHORS, {"notice_id": "draft_notice"}),
    "notices.manage": (AUTHORS, {}),
    "notices.new": (AUTHORS, {}),
    "notices.edit": (AUTHORS, {"notice_id": "draft_notice"}),
    "notices.publish": (AUTHORS, {"notice_id": "draft_notice"}),
    "notices.archive": (AUTHORS, {"notice_id": "draft_notice"}),
    "display.screen": ("public", {"token": "screen_token"}),
    "display.content": ("public", {"token": "screen_token"}),
    "display.screens": (ADMIN, {}),
    "display.add_screen": (ADMIN, {}),
    "display.revoke": (ADMIN, {"screen_id": "screen"}),
}


def seed(ids):
    from datetime import timedelta

    from portal import clock
    from portal.auth.models import User
    from portal.display.models import DisplayScreen
    from portal.extensions import db
    from portal.notices.models import Notice, NoticeVersion
    from portal.uploads.service import save_bytes
    author = db.session.get(User, ids["person"])
    moment = clock.now() - timedelta(hours=1)
    live = Notice(hall_id=ids["hall"], title="矩阵公告", body="正文", author_id=author.id, audience="staff",
                  state="published", publish_at=moment, must_read=True)
    own = Notice(hall_id=ids["hall"], title="草稿", author_id=author.id, state="draft")
    db.session.add_all([live, own])
    db.session.flush()
    db.session.add(NoticeVersion(notice_id=live.id, number=1, title="旧标题", body="旧", category="notice",
                                 edited_by_id=author.id, saved_at=moment))
    stored = save_bytes(b"%PDF-1.4 matrix", "a.pdf", "document", "notice", live.id, author)
    screen = DisplayScreen(hall_id=ids["hall"], name="矩阵屏", token="matrix-screen-token-0123456789")
    db.session.add(screen)
    db.session.commit()
    ids.update(notice=live.id, notice_version=1, notice_file=stored.token, draft_notice=own.id,
               screen=screen.id, screen_token=screen.token)
