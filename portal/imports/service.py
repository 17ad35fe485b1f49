"""Preview, confirm and reverse imports: the steps every capability's import goes through."""
import hashlib
import secrets
from collections import Counter
from datetime import timedelta

from sqlalchemy import delete, insert, select, text
from sqlalchemy.exc import IntegrityError

from .. import clock
from ..audit import service as audit
from ..extensions import db
from ..refusals import Refusal
from .mapping import map_lines
from .models import ImportBatch, ImportPreview, ImportProfile, ImportReversal
from .reading import read_rows
from .spec import DUPLICATE, EMPTY, NEW, UNREADABLE, ImportSpec, RowError

PREVIEW_LIFETIME = timedelta(hours=24)  # an unconfirmed preview is stale after a working day
_CHUNK = 500
_ANALYZE_AFTER = 5000  # rows saved at once after which PostgreSQL's statistics are refreshed


def classify_file(spec: ImportSpec, hall_id: int, data: bytes, profile: ImportProfile) -> tuple[list, dict]:
    """Read, map, parse and classify every row of a file; return the preview rows and the counts."""
    lines = read_rows(data, profile.encoding or "auto", (profile.mapping or {}).get("delimiter", "auto"))
    mapped, notes = map_lines(spec, lines, profile.mapping or {}, profile.skip_rows or 0)
    rows = [r for m in mapped for r in _parse_one(spec, m, (profile.mapping or {}).get("options", {}))]
    records = [r for r in rows if r["cls"] == NEW]
    _mark_duplicates(spec, hall_id, records)
    fresh = [r for r in records if r["cls"] == NEW]
    for row, verdict in zip(fresh, spec.classify(hall_id, [r["record"] for r in fresh]), strict=True):
        if verdict:
            row["cls"], row["reason"] = verdict
    counts = dict(Counter(r["cls"] for r in rows), **notes)
    return rows, counts


def _parse_one(spec: ImportSpec, m, options: dict) -> list[dict]:
    """Return the preview rows of one mapped line: its records, or why it gives none."""
    if m.error:
        return [_row(m.number, UNREADABLE, m.error, m.values)]
    try:
        parsed = spec.parse(m.values, options)
    except RowError as e:
        return [_row(m.number, UNREADABLE, str(e), m.values)]
    if not parsed:
        return [_row(m.number, EMPTY, "这一行没有可导入的内容", m.values)]
    return [_row(m.number, NEW, "", m.values, record, spec.key(record)) for record in parsed]


def _row(line, cls, reason, values, record=None, key=None) -> dict:
    return {"line": line, "cls": cls, "reason": reason, "record": record, "key": key,
            "cells": " | ".join(str(v) for v in _flat(values))[:200] if record is None else ""}


def _flat(values: dict):
    for v in values.values():
        yield from (v if isinstance(v, list) else [v])


def _mark_duplicates(spec: ImportSpec, hall_id: int, rows: list) -> None:
    stored = existing_keys(spec, hall_id, [r["key"] for r in rows])
    first_line = {}
    for r in rows:
        if r["key"] in stored:
            r["cls"], r["reason"] = DUPLICATE, "此前已导入"
        elif r["key"] in first_line:
            r["cls"], r["reason"] = DUPLICATE, f"与本文件第 {first_line[r['key']]} 行重复"
        else:
            first_line[r["key"]] = r["line"]


def existing_keys(spec: ImportSpec, hall_id: int, keys: list[str]) -> set[str]:
    """Return which of these keys the hall already holds."""
    found, model, keys = set(), spec.model, list(dict.fromkeys(keys))
    for i in range(0, len(keys), _CHUNK):
        chunk = keys[i:i + _CHUNK]
        found.update(db.session.execute(select(model.key).where(model.hall_id == hall_id,
                                                                model.key.in_(chunk))).scalars())
    return found


def preview(spec: ImportSpec, hall_id: int, user, file_name: str, data: bytes,
            profile: ImportProfile) -> ImportPreview:
    """Classify a file and keep the result under a token until someone confirms it."""
    rows, counts = classify_file(spec, hall_id, data, profile)
    now = clock.now()
    db.session.execute(delete(ImportPreview).where(ImportPreview.hall_id == hall_id,
                                                   ImportPreview.created_at < now - PREVIEW_LIFETIME))
    kept = ImportPreview(token=secrets.token_urlsafe(24), hall_id=hall_id, kind=spec.kind,
                         profile_name=profile.name, file_name=(file_name or "")[:200],
                         sha256=hashlib.sha256(data).hexdigest(), counts=counts, rows=rows,
                         created_by_id=getattr(user, "id", None), created_at=now)
    db.session.add(kept)
    db.session.commit()
    return kept


def pending(spec: ImportSpec, hall_id: int, token: str) -> ImportPreview:
    """Return the hall's unconfirmed preview of this token, or refuse (it expired or was used)."""
    found = db.session.execute(select(ImportPreview).where(
        ImportPreview.token == (token or ""), ImportPreview.hall_id == hall_id,
        ImportPreview.kind == spec.kind)).scalar_one_or_none()
    if found is None or found.created_at < clock.now() - PREVIEW_LIFETIME:
        raise Refusal("这份预览已失效或已经导入，请重新上传文件", 409)
    return found


def confirm(spec: ImportSpec, hall_id: int, token: str, user) -> ImportBatch:
    """Save exactly the rows the preview showed as kept; refuse if the data changed since."""
    shown = pending(spec, hall_id, token)
    kept = [r for r in shown.rows if r["cls"] in spec.keep]
    if not kept:
        raise Refusal("这份文件没有可保存的新记录（已导入或无法读取的行不会保存）", 409)
    clash = existing_keys(spec, hall_id, [r["key"] for r in kept])
    if clash:
        raise Refusal(f"预览之后已有 {len(clash)} 条记录被其他导入保存，请重新上传文件预览", 409)
    batch = ImportBatch(hall_id=hall_id, kind=spec.kind, profile_name=shown.profile_name,
                        file_name=shown.file_name, sha256=shown.sha256, counts=shown.counts, saved=len(kept),
                        rows=shown.rows, imported_by_id=getattr(user, "id", None), imported_at=clock.now())
    # Taking the preview first makes a second confirmation of the same token wait, then find it gone.
    if db.session.execute(delete(ImportPreview).where(ImportPreview.id == shown.id)).rowcount != 1:
        raise Refusal("这份预览已经导入", 409)
    db.session.add(batch)
    db.session.flush()
    try:
        save_rows(spec, hall_id, kept, batch.id)
    except IntegrityError:
        raise Refusal("另一份导入刚刚保存了其中的记录，请重新上传文件预览", 409) from None
    audit.record("import.confirmed", "import_batch", batch.id, detail={
        "kind": spec.kind, "file": batch.file_name, "sha256": batch.sha256, "saved": len(kept),
        "counts": batch.counts}, user=user)
    db.session.commit()
    return batch


def save_rows(spec: ImportSpec, hall_id: int, rows: list, import_id: int | None) -> None:
    """Insert classified rows' records in chunks (one statement per chunk, not one per row)."""
    values = [{**spec.to_row(r["record"]), "hall_id": hall_id, "import_id": import_id, "key": r["key"]}
              for r in rows]
    for i in range(0, len(values), _CHUNK):
        db.session.execute(insert(spec.model), values[i:i + _CHUNK])
    if len(values) >= _ANALYZE_AFTER and db.session.get_bind().dialect.name == "postgresql":
        # Fresh statistics, or the planner still thinks the table small and the next preview's key
        # lookups scan it whole (a month's file: 15 s instead of 1 s).
        db.session.execute(text(f'ANALYZE "{spec.model.__tablename__}"'))


def reverse(spec: ImportSpec, batch: ImportBatch, user, reason: str) -> ImportReversal:
    """Remove every row a whole import saved, and record who reversed it and why."""
    if batch.reversal is not None:
        raise Refusal("这次导入已经撤销过", 409)
    if not (reason or "").strip():
        raise Refusal("请填写撤销原因")
    removed = db.session.execute(delete(spec.model).where(spec.model.import_id == batch.id)).rowcount
    reversal = ImportReversal(import_id=batch.id, reason=reason.strip()[:500], removed=removed,
                              reversed_by_id=getattr(user, "id", None), reversed_at=clock.now())
    db.session.add(reversal)
    try:
        db.session.flush()
    except IntegrityError:
        raise Refusal("这次导入已经撤销过", 409) from None
    audit.record("import.reversed", "import_batch", batch.id,
                 detail={"kind": spec.kind, "removed": removed, "reason": reversal.reason}, user=user)
    db.session.commit()
    return reversal


def batches(spec: ImportSpec, hall_id: int, limit: int = 100) -> list[ImportBatch]:
    """Return the hall's latest imports of this kind, newest first."""
    return db.session.execute(select(ImportBatch).where(ImportBatch.hall_id == hall_id, ImportBatch.kind == spec.kind)
                              .order_by(ImportBatch.id.desc()).limit(limit)).scalars().all()


def earlier_import(spec: ImportSpec, hall_id: int, sha256: str) -> ImportBatch | None:
    """Return the latest live import of the very same file, if any (a warning, not a refusal)."""
    return db.session.execute(select(ImportBatch).where(
        ImportBatch.hall_id == hall_id, ImportBatch.kind == spec.kind, ImportBatch.sha256 == sha256,
        ~ImportBatch.reversal.has()).order_by(ImportBatch.id.desc()).limit(1)).scalar_one_or_none()


def discard(spec: ImportSpec, hall_id: int, token: str) -> None:
    """Drop an unconfirmed preview."""
    db.session.delete(pending(spec, hall_id, token))
    db.session.commit()
