"""Confirm a big import in the background worker instead of the web request (a county's month of punches).

Every capability's import pages are offered when they are registered (`views.register`); the shared
confirm view hands a preview keeping IMPORT_BACKGROUND_ROWS rows or more to the worker and sends the
person to the task's progress page. The worker runs the pages' own confirmation (the shared step or
the capability's, e.g. opening cases) as that person in that hall; the progress page (any app server)
shows the outcome with a link to the saved import, or the refusal's message.
"""
from flask import current_app
from flask_login import current_user

from .. import jobs
from . import service
from .pages import ImportPages

KIND = "import.confirm"
_OFFERED: dict[str, ImportPages] = {}


def offer(pages: ImportPages) -> None:
    """Let this capability's imports be confirmed in the background."""
    _OFFERED[pages.spec.kind] = pages
    jobs.register_task(KIND, _confirm)


def big(pages: ImportPages, hall_id: int, token: str) -> bool:
    """Tell whether the preview keeps enough rows to confirm it in the background (refuses a stale token)."""
    shown = service.pending(pages.spec, hall_id, token)
    kept = sum(1 for r in shown.rows if r["cls"] in pages.spec.keep)
    return kept >= current_app.config["IMPORT_BACKGROUND_ROWS"]


def confirm_later(pages: ImportPages, token: str, user) -> str:
    """Hand the confirmation of a previewed import to the worker; return the job's token."""
    return jobs.start(KIND, user, pages.title, spec=pages.spec.kind, token=token)


def _confirm(spec: str, token: str) -> jobs.Outcome:
    pages = _OFFERED[spec]
    batch = pages.confirm(current_user.hall_id, token, current_user)
    return jobs.Outcome(f"已导入 {batch.saved} {pages.unit}{pages.noun}（{batch.file_name}）",
                        pages.at("import_detail", batch_id=batch.id))
