"""Check, store and serve uploads: type by content (magic bytes), size from the rulebook."""
import hashlib
import re
import secrets
from io import BytesIO
from pathlib import Path, PurePosixPath

from flask import abort, current_app, send_file
from werkzeug.datastructures import FileStorage

from .. import clock
from ..extensions import db
from ..refusals import Refusal
from ..rulebook import service as rules
from .models import StoredBlob, StoredFile

# Magic bytes of the only types the portal accepts.
SIGNATURES = [
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"%PDF-", "application/pdf", ".pdf"),
]
KINDS = {"image": {"image/jpeg", "image/png", "image/webp"},
         "document": {"application/pdf", "image/jpeg", "image/png", "image/webp"}}
KIND_LABELS = {"image": "图片（JPG、PNG、WebP）", "document": "PDF 或图片"}
LIMIT_KEYS = {"image": "uploads.max_image_mb", "document": "uploads.max_document_mb"}
SANDBOX = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"


# Characters a file name may not carry into a header or onto a disk: controls, quotes, separators.
_UNSAFE = re.compile(r'[\x00-\x1f\x7f"\\/:*?<>|;]')


class UploadRefused(Refusal):
    """An upload that is not accepted; the message is shown to the person."""


def base_name(name: str | None, ext: str = "") -> str:
    """Keep only a clean base name of an uploaded file: no folders, no control or quote characters."""
    name = PurePosixPath((name or "").replace("\\", "/")).name
    name = _UNSAFE.sub("", name).strip(" .")[:200]
    return name or f"附件{ext}"


def sniff(head: bytes) -> tuple[str, str] | None:
    """Return (mime, extension) judged from the file's first bytes, or None."""
    for magic, mime, ext in SIGNATURES:
        if head.startswith(magic):
            return mime, ext
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp", ".webp"
    return None


def limit_bytes(kind: str) -> int:
    """Return the size limit for this kind of upload."""
    return rules.get(LIMIT_KEYS[kind]) * 1024 * 1024


def save(upload: FileStorage, kind: str, owner_type: str, owner_id: int | None, user) -> StoredFile:
    """Check and store an upload; raise UploadRefused with a Chinese message if it is not accepted."""
    if upload is None or not upload.filename:
        raise UploadRefused("没有选择文件")
    name = base_name(upload.filename)
    data = upload.stream.read(limit_bytes(kind) + 1)
    if len(data) > limit_bytes(kind):
        raise UploadRefused(f"文件“{name}”超过 {limit_bytes(kind) // (1024 * 1024)} MB 的大小限制")
    if not data:
        raise UploadRefused(f"文件“{name}”是空的")
    found = sniff(data[:16])
    if found is None or found[0] not in KINDS[kind]:
        raise UploadRefused(f"文件“{name}”不是{KIND_LABELS[kind]}，已拒绝")
    mime, ext = found
    token = secrets.token_urlsafe(24)
    in_db = in_database()
    relative = "" if in_db else _write_file(token, ext, data)
    stored = StoredFile(token=token, original_name=base_name(upload.filename, ext), mime=mime, size=len(data),
                        sha256=hashlib.sha256(data).hexdigest(), path=relative,
                        owner_type=owner_type, owner_id=owner_id,
                        uploaded_by_id=getattr(user, "id", None), created_at=clock.now())
    db.session.add(stored)
    if in_db:
        db.session.flush()
        db.session.add(StoredBlob(file_id=stored.id, data=data))
    return stored


def in_database() -> bool:
    """Tell whether uploads go into the database (UPLOAD_STORAGE: database, filesystem, or auto by the engine)."""
    setting = current_app.config.get("UPLOAD_STORAGE", "auto")
    if setting == "auto":
        return db.engine.dialect.name == "postgresql"  # several app servers share only the database
    return setting == "database"


def _write_file(token: str, ext: str, data: bytes) -> str:
    relative = Path(clock.today().strftime("%Y/%m")) / f"{token}{ext}"
    target = Path(current_app.config["UPLOAD_DIR"]) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return str(relative)


def attach(stored: StoredFile, owner_type: str, owner_id: int) -> None:
    """Tie a stored file to its owning record once that record has an id."""
    stored.owner_type, stored.owner_id = owner_type, owner_id


def files_of(owner_type: str, owner_ids) -> dict[int, list[StoredFile]]:
    """Return the files of many owners at once, by owner id."""
    from sqlalchemy import select
    ids = list(owner_ids)
    out: dict[int, list[StoredFile]] = {i: [] for i in ids}
    if not ids:
        return out
    rows = db.session.execute(select(StoredFile).where(
        StoredFile.owner_type == owner_type, StoredFile.owner_id.in_(ids)).order_by(StoredFile.id)).scalars()
    for row in rows:
        out[row.owner_id].append(row)
    return out


def by_token(token: str) -> StoredFile:
    """Return a stored file by its token, or 404 (the caller still checks who may see it)."""
    from sqlalchemy import select
    row = db.session.execute(select(StoredFile).where(StoredFile.token == token)).scalar_one_or_none()
    if row is None:
        abort(404)
    return row


def send(stored: StoredFile, embedded: bool = False):
    """Serve a stored file under its clean base name; call only after checking permission.

    Images are shown inline only where the portal embeds them (embedded=True); everything else downloads.
    """
    inline = embedded and stored.is_image
    response = send_file(_source(stored), mimetype=stored.mime, download_name=base_name(stored.original_name),
                         as_attachment=not inline, max_age=0, conditional=True, etag=stored.sha256,
                         last_modified=stored.created_at)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = SANDBOX
    return response


def _source(stored: StoredFile):
    """Return the file's bytes as a stream (database) or its path (filesystem); 404 when neither holds it."""
    if not stored.path:
        blob = db.session.get(StoredBlob, stored.id)
        if blob is None:
            abort(404)
        return BytesIO(blob.data)
    path = Path(current_app.config["UPLOAD_DIR"]) / stored.path
    if not path.is_file():
        abort(404)
    return path


def save_bytes(data: bytes, filename: str, kind: str, owner_type: str, owner_id: int | None,
               user) -> StoredFile:
    """Check and store a file made by the portal itself (e.g. a generated PDF), like an upload."""
    return save(FileStorage(stream=BytesIO(data), filename=filename), kind, owner_type, owner_id, user)
