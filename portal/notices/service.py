"""The notice board (公告栏): drafting, publishing, versions, read receipts and documents from other parts."""
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .. import clock, hallscope
from ..audit import service as audit
from ..documents import service as numbers
from ..extensions import db
from ..org.models import Department
from ..records import hall_record
from ..refusals import Refusal
from ..roles import AUTHORS, Role
from . import documents, render
from .board import document_posted, public_now, unread_count, unread_must_read, unread_must_read_heads
from .models import (
    ARCHIVED,
    AUDIENCES,
    CATEGORIES,
    COUNTY,
    DRAFT,
    PUBLISHED,
    TO_EVERYONE,
    BoardStamp,
    Notice,
    NoticeDepartment,
    NoticeRead,
    NoticeVersion,
)

# What other capabilities call: the board's reading side, and posting a generated document.
__all__ = ["AUTHORS", "Draft", "NoticeError", "document_posted", "post_document", "public_now", "to_html",
           "unread_count", "unread_must_read", "unread_must_read_heads"]
to_html = render.to_html


class NoticeError(Refusal):
    """A refused notice action (公告), with a Chinese message and the HTTP status to answer."""


def stale(error: Exception) -> NoticeError:
    """Turn a lost race on the notice row (another edit committed first) into a 409 for the person."""
    if isinstance(error, NoticeError):
        return error
    return NoticeError("这条公告刚被别人修改过，请刷新页面后再操作", 409)


@dataclass
class Draft:
    """What an author typed: the fields of a notice before the rules are checked."""

    title: str
    body: str = ""
    category: str = "notice"
    audience: str = "staff"
    department_ids: list[int] = field(default_factory=list)
    pinned: bool = False
    must_read: bool = False
    emergency: bool = False
    publish_at: datetime | None = None
    expires_at: datetime | None = None
    reask: bool | None = None  # a change of substance asks for acknowledgement again; None: not said


# --- who may do what ----------------------------------------------------------------------

def can_manage(user, notice: Notice) -> bool:
    """Say whether this person may edit, publish or withdraw the notice (admin, or its author)."""
    if notice.hall_id != user.hall_id:
        return False
    return user.has_role(Role.ADMIN) or (notice.author_id == user.id and user.has_role(*AUTHORS))


def is_live(notice: Notice, moment: datetime | None = None) -> bool:
    """Say whether a notice is on the board now: published, its time come, not expired."""
    moment = moment or clock.now()
    return (notice.state == PUBLISHED and notice.publish_at is not None and notice.publish_at <= moment
            and (notice.expires_at is None or notice.expires_at > moment))


def _reaches(user, notice: Notice) -> bool:
    """Say whether the notice is on the person's board: their hall's, or a county notice from above."""
    if notice.hall_id == user.hall_id:
        return True
    return notice.audience == COUNTY and user.hall_id in hallscope.hall_ids_under(notice.hall_id)


def in_audience(user, notice: Notice) -> bool:
    """Say whether the person is among those the notice is addressed to."""
    if not _reaches(user, notice):
        return False
    if notice.audience in TO_EVERYONE:
        return True
    return user.department_id in notice.department_ids


def can_see(user, notice: Notice) -> bool:
    """Say whether the person may open the notice (its managers always; others while it is live)."""
    return can_manage(user, notice) or (in_audience(user, notice) and is_live(notice))


def notice_for(user, notice_id: int, manage: bool = False) -> Notice:
    """Return a notice this person may see (or manage); 404 otherwise, so ids reveal nothing."""
    notice = db.session.get(Notice, notice_id)
    if notice is None or not _reaches(user, notice):
        notice = hall_record(Notice, notice_id, hall_id=user.hall_id)
    if not (can_manage(user, notice) if manage else can_see(user, notice)):
        raise NoticeError("没有这条公告", 404)
    return notice


# --- drafting and publishing ----------------------------------------------------------------

def _check(draft: Draft, hall_id: int) -> None:
    if not draft.title.strip():
        raise NoticeError("请填写标题")
    if draft.category not in CATEGORIES:
        raise NoticeError("请选择公告类别")
    if draft.audience not in AUDIENCES:
        raise NoticeError("请选择发布范围")
    if draft.emergency and draft.audience != "public":
        raise NoticeError("紧急通知会显示在大厅屏幕上，发布范围须为“大厅屏幕（公开）”")
    if draft.audience == "departments":
        if not draft.department_ids:
            raise NoticeError("发布范围为指定部门时，请至少选择一个部门")
        found = db.session.execute(select(Department.id).where(
            Department.id.in_(draft.department_ids), Department.hall_id == hall_id)).scalars().all()
        if len(set(found)) != len(set(draft.department_ids)):
            raise NoticeError("所选部门不属于本大厅")
    start = draft.publish_at or clock.now()
    if draft.expires_at is not None and draft.expires_at <= start:
        raise NoticeError("失效时间必须晚于发布时间")


def _apply(notice: Notice, draft: Draft) -> None:
    notice.title, notice.body = draft.title.strip()[:120], render.clean_source(draft.body)
    notice.category, notice.audience = draft.category, draft.audience
    notice.pinned, notice.must_read, notice.emergency = draft.pinned, draft.must_read, draft.emergency
    notice.publish_at, notice.expires_at = draft.publish_at, draft.expires_at
    wanted = sorted(set(draft.department_ids)) if draft.audience == "departments" else []
    if wanted != notice.department_ids:
        notice.departments = [NoticeDepartment(department_id=d) for d in wanted]


def create(user, draft: Draft) -> Notice:
    """Save a new notice as a draft (草稿)."""
    _check(draft, user.hall_id)
    notice = Notice(hall_id=user.hall_id, author_id=user.id, state=DRAFT)
    _apply(notice, draft)
    db.session.add(notice)
    db.session.flush()
    touch_board(user.hall_id)
    return notice


def update(user, notice: Notice, draft: Draft, revision: int | None = None) -> Notice:
    """Change a notice; after publishing, the earlier text is kept as a version that stays viewable."""
    if notice.state == ARCHIVED:
        raise NoticeError("已归档的公告不能再修改", 409)
    if revision is not None and revision != notice.revision:
        raise NoticeError("这条公告刚被别人修改过，请刷新页面后再改", 409)
    if notice.state == PUBLISHED and draft.publish_at is None:
        draft.publish_at = notice.publish_at
    _check(draft, notice.hall_id)
    if notice.state == PUBLISHED and (draft.title.strip(), render.clean_source(draft.body), draft.category) != (
            notice.title, notice.body, notice.category):
        _reask(notice, draft)
        number = len(versions_of(notice.id)) + 1
        db.session.add(NoticeVersion(notice_id=notice.id, number=number, title=notice.title, body=notice.body,
                                     category=notice.category, edited_by_id=user.id, saved_at=clock.now()))
    _apply(notice, draft)
    db.session.flush()
    touch_board(notice.hall_id)
    return notice


def needs_reask_choice(notice: Notice) -> bool:
    """Say whether an edit of the text must say if it asks for acknowledgement again (someone acknowledged)."""
    if notice.state != PUBLISHED or not notice.must_read:
        return False
    return db.session.execute(select(NoticeRead.id).where(
        NoticeRead.notice_id == notice.id, NoticeRead.ack_round == notice.ack_round,
        NoticeRead.acknowledged_at.is_not(None)).limit(1)).first() is not None


def _reask(notice: Notice, draft: Draft) -> None:
    """Start a new acknowledgement round for a change of substance; a typo fix keeps the acknowledgements."""
    if not needs_reask_choice(notice):
        return
    if draft.reask is None:
        raise NoticeError("已有人确认阅知这条公告：请选择这次修改是实质性修改（需重新阅知）还是仅更正错字")
    if draft.reask:
        notice.ack_round += 1  # earlier receipts stay as they were; everyone is asked again
        audit.record("notice.reask", "notice", notice.id, detail={"round": notice.ack_round})


def publish(user, notice: Notice) -> Notice:
    """Publish a draft now, or at its scheduled time (定时发布)."""
    if notice.state != DRAFT:
        raise NoticeError("只有草稿可以发布", 409)
    moment = clock.now()
    if notice.publish_at is None or notice.publish_at < moment:
        notice.publish_at = moment
    if notice.expires_at is not None and notice.expires_at <= notice.publish_at:
        raise NoticeError("失效时间必须晚于发布时间，请修改后再发布")
    notice.state = PUBLISHED
    db.session.flush()
    if notice.category in numbers.KINDS and numbers.of_notice(notice.id) is None:
        numbers.issue(notice.hall_id, notice.category, notice.title, user, notice_id=notice.id)  # 发文字号
    audit.record("notice.published", "notice", notice.id, detail={"title": notice.title})
    touch_board(notice.hall_id)
    return notice


def archive(user, notice: Notice) -> Notice:
    """Withdraw a notice from the board and the screens (归档/撤回); it stays readable to its managers."""
    if notice.state == ARCHIVED:
        raise NoticeError("这条公告已经归档了", 409)
    notice.state, notice.archived_at = ARCHIVED, clock.now()
    db.session.flush()
    touch_board(notice.hall_id)
    return notice


def versions_of(notice_id: int) -> list[NoticeVersion]:
    """Return a notice's earlier versions, oldest first."""
    return db.session.execute(select(NoticeVersion).where(NoticeVersion.notice_id == notice_id)
                              .order_by(NoticeVersion.number)).scalars().all()


# --- read receipts ------------------------------------------------------------------------

def receipt_of(user, notice: Notice) -> NoticeRead | None:
    """Return the person's read receipt of a notice in its current round, if any."""
    return db.session.execute(select(NoticeRead).where(
        NoticeRead.notice_id == notice.id, NoticeRead.user_id == user.id,
        NoticeRead.ack_round == notice.ack_round)).scalar()


def mark_read(user, notice: Notice) -> NoticeRead:
    """Note that the person opened the notice (once; the first time is kept)."""
    found = receipt_of(user, notice)
    if found is not None:
        return found
    row = NoticeRead(notice_id=notice.id, user_id=user.id, read_at=clock.now(), ack_round=notice.ack_round)
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:  # the same person opened it twice at once
        return receipt_of(user, notice)
    return row


def acknowledge(user, notice: Notice) -> NoticeRead:
    """Record that the person has read and understood a must-read notice (已阅知); once, never undone."""
    if not notice.must_read:
        raise NoticeError("这条公告不需要确认阅知", 409)
    if not (in_audience(user, notice) and is_live(notice)):
        raise NoticeError("没有这条公告", 404)
    row = mark_read(user, notice)
    if row.acknowledged_at is None:
        row.acknowledged_at = clock.now()
        audit.record("notice.acknowledged", "notice", notice.id, detail={"round": notice.ack_round})
    return row


# --- the board stamp that hall screens poll --------------------------------------------------

def touch_board(hall_id: int) -> None:
    """Move the hall's board version on and note when notices will appear or expire next."""
    moment = clock.now()
    times = db.session.execute(select(Notice.publish_at, Notice.expires_at).where(
        Notice.hall_id == hall_id, Notice.state == PUBLISHED, Notice.audience == "public")).all()
    future = sorted({int(t.timestamp()) for row in times for t in row if t is not None and t > moment})
    stamp = db.session.execute(select(BoardStamp).where(BoardStamp.hall_id == hall_id)).scalar()
    if stamp is None:
        try:
            with db.session.begin_nested():  # two first notices of a hall at once: one stamp
                stamp = BoardStamp(hall_id=hall_id, version=0, moments="")
                db.session.add(stamp)
        except IntegrityError:
            stamp = db.session.execute(select(BoardStamp).where(BoardStamp.hall_id == hall_id)).scalar_one()
    stamp.version = BoardStamp.version + 1  # in SQL, so two writers never lose a step
    stamp.moments = " ".join(str(t) for t in future)



# --- attachments and documents other capabilities post ----------------------------------------

def attach(user, notice: Notice, files) -> list[str]:
    """Store a notice's uploaded files; a refused file keeps a draft a draft and refuses a published edit."""
    problems = documents.attach_uploads(user, notice, files)
    if problems and notice.state != DRAFT:
        raise NoticeError("；".join(problems))
    return problems


def post_document(title: str, category: str, pdf_bytes: bytes, filename: str, author,
                  audience: str = "staff", issued=None) -> Notice:
    """Post a generated PDF (a publication, a bulletin) as a published notice with the PDF attached.

    `issued` is the document number (发文字号) the PDF carries; the notice keeps it.
    """
    if audience not in ("staff", "public"):
        raise ValueError("audience must be 'staff' or 'public'")
    draft = Draft(title=title, body=f"{title}，详见附件《{filename}》。", category=documents.category_code(category),
                  audience=audience)
    notice = create(author, draft)
    if issued is not None:
        numbers.link_notice(issued, notice.id)
    documents.attach_pdf(pdf_bytes, filename, notice, author)
    publish(author, notice)
    db.session.commit()
    return notice
