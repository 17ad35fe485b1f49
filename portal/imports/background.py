"""Confirm a big import in the background worker instead of the web request (a county's month of punches).

A capability offers its import once, from its init_app: `background.offer(SPEC, "attendance.import_detail")`
(the endpoint shows the saved import, given `batch_id`). Its confirm view then, for a big preview:

    if background.big(SPEC, shown):
        return redirect(jobs.status_url(background.confirm_later(SPEC, token, current_user)), 303)

The worker runs `service.confirm` exactly as the view would, as that person in that hall; the progress
page (any app server) shows the outcome and links to the import, or the refusal's message.
"""
from flask import current_app, url_for
from flask_login import current_user

from .. import jobs
from . import service
from .spec import ImportSpec

KIND = "import.confirm"
_OFFERED: dict[str, tuple[ImportSpec, str]] = {}


def offer(spec: ImportSpec, endpoint: str) -> None:
    """Let this import be confirmed in the background; `endpoint` shows the saved import (batch_id)."""
    _OFFERED[spec.kind] = (spec, endpoint)
    jobs.register_task(KIND, _confirm)


def big(spec: ImportSpec, preview) -> bool:
    """Tell whether a preview keeps enough rows to confirm it in the background (IMPORT_BACKGROUND_ROWS)."""
    kept = sum(1 for r in preview.rows if r["cls"] in spec.keep)
    return kept >= current_app.config["IMPORT_BACKGROUND_ROWS"]


def confirm_later(spec: ImportSpec, token: str, user) -> str:
    """Hand the confirmation of a previewed import to the worker; return the job's token."""
    if spec.kind not in _OFFERED:
        raise ValueError(f"import {spec.kind!r} is not offered for background confirmation")
    return jobs.start(KIND, user, f"确认导入：{spec.label}", spec=spec.kind, token=token)


def _confirm(spec: str, token: str) -> jobs.Outcome:
    spec, endpoint = _OFFERED[spec]
    batch = service.confirm(spec, current_user.hall_id, token, current_user)
    return jobs.Outcome(f"已导入 {batch.saved} 条记录（{batch.file_name}）", url_for(endpoint, batch_id=batch.id))
