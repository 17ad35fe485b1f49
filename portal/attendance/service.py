"""Attendance's use of the shared import mechanism: its profiles, previews, imports and reversals."""
from ..imports import profiles as saved_profiles
from ..imports import service as imports
from ..imports.models import ImportBatch
from ..records import hall_record, refuse_record
from . import formats
from .punches import SPEC

PREVIEW_LIMIT = 300  # rows of one class listed on a preview page; the counts cover them all


def profiles(hall_id: int):
    """Return the punch profiles the hall can import with."""
    return saved_profiles.available(hall_id, SPEC.kind, formats.presets())


def profile(hall_id: int, name: str):
    """Return the punch profile of this name, or refuse."""
    return saved_profiles.find(hall_id, SPEC.kind, name, formats.presets())


def preview(hall_id: int, user, file_name: str, data: bytes, profile_name: str):
    """Classify a punch file and keep the preview until it is confirmed."""
    return imports.preview(SPEC, hall_id, user, file_name, data, profile(hall_id, profile_name))


def batch(hall_id: int, batch_id: int) -> ImportBatch:
    """Return one punch import of the hall, or an audited 404."""
    found = hall_record(ImportBatch, batch_id, hall_id=hall_id)
    if found.kind != SPEC.kind:
        refuse_record(ImportBatch.__tablename__, batch_id, "another kind of import")
    return found


def shown_rows(rows: list, cls: str | None) -> tuple[list, int]:
    """Return the rows to list (one class, or the problems first and then the new) and how many are left out."""
    if cls:
        picked = [r for r in rows if r["cls"] == cls]
    else:
        picked = [r for r in rows if r["cls"] != "new"] + [r for r in rows if r["cls"] == "new"]
    return picked[:PREVIEW_LIMIT], max(0, len(picked) - PREVIEW_LIMIT)


def kept_count(rows: list) -> int:
    """Return how many rows of a preview would be saved."""
    return sum(1 for r in rows if r["cls"] in SPEC.keep)
