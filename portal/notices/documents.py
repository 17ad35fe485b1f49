"""Attachments of notices, and documents other capabilities post to the board as notices."""
from ..documents import service as numbers
from ..extensions import db
from ..uploads import service as uploads
from .models import CATEGORIES, DRAFT, Notice

OWNER_TYPE = "notice"


def attach_uploads(user, notice: Notice, files) -> list[str]:
    """Store the uploaded attachments of a notice; return the refusal messages (nothing is half-stored)."""
    from .service import NoticeError
    problems, stored = [], []
    for upload in files:
        if upload is None or not upload.filename:
            continue
        try:
            stored.append(uploads.save(upload, "document", OWNER_TYPE, notice.id, user))
        except uploads.UploadRefused as refused:
            problems.append(str(refused))
    if problems:
        for row in stored:
            db.session.expunge(row)
        if notice.state != DRAFT:
            raise NoticeError("；".join(problems))
    return problems


def attachments_of(notice_ids) -> dict[int, list]:
    """Return the attachments of many notices at once."""
    return uploads.files_of(OWNER_TYPE, notice_ids)


def _category(value: str) -> str:
    if value in CATEGORIES:
        return value
    by_label = {label: code for code, label in CATEGORIES.items()}
    if value in by_label:
        return by_label[value]
    raise ValueError(f"unknown notice category: {value!r}")


def post_document(title: str, category: str, pdf_bytes: bytes, filename: str, author,
                  audience: str = "staff", issued=None) -> Notice:
    """Post a generated PDF (a publication, a bulletin) as a published notice with the PDF attached.

    `issued` is the document number (发文字号) the PDF carries; the notice keeps it.
    """
    from .service import Draft, create, publish
    if audience not in ("staff", "public"):
        raise ValueError("audience must be 'staff' or 'public'")
    draft = Draft(title=title, body=f"{title}，详见附件《{filename}》。", category=_category(category),
                  audience=audience)
    notice = create(author, draft)
    if issued is not None:
        numbers.link_notice(issued, notice.id)
    uploads.save_bytes(pdf_bytes, filename, "document", OWNER_TYPE, notice.id, author)
    publish(author, notice)
    db.session.commit()
    return notice
