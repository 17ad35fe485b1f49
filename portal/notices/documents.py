"""Attachments of notices: uploaded files and generated PDFs, stored by the uploads capability."""
from ..extensions import db
from ..uploads import service as uploads
from .models import CATEGORIES, Notice

OWNER_TYPE = "notice"


def attach_uploads(user, notice: Notice, files) -> list[str]:
    """Store the uploaded attachments of a notice; return the refusal messages (then none is stored)."""
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
    return problems


def attachments_of(notice_ids) -> dict[int, list]:
    """Return the attachments of many notices at once."""
    return uploads.files_of(OWNER_TYPE, notice_ids)


def category_code(value: str) -> str:
    """Return a category's code from its code or its Chinese label (通报 -> bulletin)."""
    if value in CATEGORIES:
        return value
    by_label = {label: code for code, label in CATEGORIES.items()}
    if value in by_label:
        return by_label[value]
    raise ValueError(f"unknown notice category: {value!r}")


def attach_pdf(pdf_bytes: bytes, filename: str, notice: Notice, author) -> None:
    """Store a generated PDF as an attachment of a notice."""
    uploads.save_bytes(pdf_bytes, filename, "document", OWNER_TYPE, notice.id, author)
