"""Background tasks other than PDFs: work run by the worker as the person who asked, in their hall.

A capability names a function once (`register_task("import.confirm", confirm_rows)`) from its
`init_app`; a view hands work to the worker with `start(kind, user, label, **arguments)` (JSON-able
arguments) and sends the person to `status_url(token)`, which any app server answers. The worker runs
the function inside a request context as that person acting in that hall (so `current_user`, the
hall's rulebook and calendar, the audit log's actor and `url_for` work as in the view), commits what it
did, and keeps its `Outcome` (a message and a link) with the job. A `Refusal` is the person's message,
not a failure. `every(kind, minutes)` lets the worker start a task itself on a schedule (reminders),
once per period across every worker.
"""
import json
from dataclasses import asdict, dataclass
from functools import partial

from flask import current_app, url_for

from .. import clock, hallscope
from ..extensions import db
from ..refusals import Refusal
from . import service

TASKS: dict[str, object] = {}
SCHEDULE: dict[str, int] = {}  # kind -> every so many minutes (the worker starts it itself)


@dataclass
class Outcome:
    """What a finished task tells the person: a message, and where to look next (a URL), if anywhere."""

    message: str
    link: str = ""
    refused: bool = False


def register_task(kind: str, func) -> None:
    """Name a function the worker runs for a kind of task: func(**arguments) -> Outcome (or a message)."""
    TASKS[kind] = func
    service.register(kind, partial(_run, kind))


def every(kind: str, minutes: int) -> None:
    """Let the worker start a registered task by itself every so many minutes (0: never)."""
    if minutes > 0:
        SCHEDULE[kind] = minutes
    else:
        SCHEDULE.pop(kind, None)


def start(kind: str, user, label: str, **arguments) -> str:
    """Hand a task to the worker, to run as this person in the hall they act in now; return the job's token."""
    payload = {"user": getattr(user, "id", None), "hall": getattr(user, "hall_id", None), "args": arguments}
    return service.submit(kind, payload["user"], label, json.dumps(payload, ensure_ascii=False),
                          hall_id=payload["hall"])


def status_url(token: str) -> str:
    """Return the page that shows a task's progress and outcome (any app server answers it)."""
    return url_for("jobs.status", job=token)


def outcome(job) -> Outcome | None:
    """Return a finished task's outcome, as its owner reads it."""
    if job.result is None:
        return None
    return Outcome(**json.loads(job.result.decode()))


def _run(kind: str, payload: str) -> bytes:
    """Run one task in the worker as its owner, in their hall; return its outcome as the job's result."""
    data = json.loads(payload)
    base = current_app.config.get("BASE_URL") or "http://localhost/"
    with current_app.test_request_context(base_url=base):  # the rulebook and calendar read the owner's hall
        _act_as(data.get("user"), data.get("hall"))
        try:
            found = TASKS[kind](**data.get("args", {}))
            db.session.commit()
        except Refusal as refusal:
            db.session.rollback()
            found = Outcome(refusal.message, refused=True)
    found = found if isinstance(found, Outcome) else Outcome(str(found or ""))
    return json.dumps(asdict(found), ensure_ascii=False).encode()


def _act_as(user_id, hall_id) -> None:
    if user_id is None:
        return
    from ..auth.models import User  # named here: auth stands on the jobs foundation's neighbours
    hallscope.act_as(db.session.get(User, user_id), hall_id)  # the task acts as its owner


def run_schedule() -> list[str]:
    """Start each scheduled task whose period begins this minute, once across every worker; return their tokens."""
    from .. import scheduled
    now, started = clock.local(clock.now()), []
    for kind, minutes in SCHEDULE.items():
        minute = now.hour * 60 + now.minute
        if minute % minutes:
            continue
        if scheduled.claim(f"queue:{kind}", f"{now:%Y-%m-%d %H:%M}") is not None:
            started.append(service.submit(kind, None, kind, json.dumps({"args": {}})))
    return started
