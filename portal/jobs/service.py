"""Submit background jobs, run them in the worker, and read their state and result from any server."""
import logging
import secrets
import traceback
from collections.abc import Callable
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, func, select, update

from .. import clock
from ..extensions import db
from .models import DONE, FAILED, QUEUED, RUNNING, BackgroundJob

log = logging.getLogger(__name__)
HANDLERS: dict[str, Callable[[str], bytes]] = {}
MAX_ATTEMPTS = 2  # a job whose worker died twice under it is given up, not tried for ever
LOST_AFTER = timedelta(minutes=1)  # a waiting job with no message in the queue after this lost it
KEEP = timedelta(days=1)  # finished jobs and their results are kept this long


def register(kind: str, handler: Callable[[str], bytes]) -> None:
    """Name the function the worker runs for a kind of job (payload text in, result bytes out)."""
    HANDLERS[kind] = handler


def submit(kind: str, owner_id: int | None, label: str, payload: str, hall_id: int | None = None) -> str:
    """Record a job and hand it to the worker; return its token (no owner: a job the worker started itself)."""
    if kind not in HANDLERS:
        raise ValueError(f"no handler registered for background jobs of kind {kind!r}")
    token = secrets.token_urlsafe(16)
    db.session.add(BackgroundJob(token=token, kind=kind, owner_id=owner_id, hall_id=hall_id, label=label,
                                 payload=payload))
    db.session.commit()  # no transaction stays open here: a job run in place (tests) writes its row at once
    current_app.extensions["jobs"].enqueue(token)
    return token


def owned(token: str, owner_id: int) -> BackgroundJob | None:
    """Return the owner's job by token; None if there is none or it is someone else's."""
    job = db.session.execute(select(BackgroundJob).where(BackgroundJob.token == token)).scalar_one_or_none()
    return job if job is not None and owner_id is not None and job.owner_id == owner_id else None


def place(job: BackgroundJob) -> int:
    """Return the job's place among the waiting jobs (1: next to start); 0 once it has started."""
    if job.state != QUEUED:
        return 0
    ahead = select(func.count(BackgroundJob.id)).where(BackgroundJob.state == QUEUED, BackgroundJob.id < job.id)
    return db.session.execute(ahead).scalar_one() + 1


def execute(token: str) -> None:
    """Run one job in the worker, unless another worker already took it."""
    job = _claim(token)
    if job is None:
        return
    try:
        result, error, state = HANDLERS[job.kind](job.payload), "", DONE
    except Exception:  # noqa: BLE001 - the reason is kept with the job for whoever looks into it
        log.exception("background job %s (%s) failed", job.token, job.kind)
        result, error, state = None, traceback.format_exc()[-2000:], FAILED
    job.result, job.error, job.state, job.finished_at = result, error, state, clock.now()
    db.session.commit()


def _claim(token: str) -> BackgroundJob | None:
    claimed = db.session.execute(
        update(BackgroundJob).where(BackgroundJob.token == token, BackgroundJob.state == QUEUED)
        .values(state=RUNNING, started_at=clock.now(), attempts=BackgroundJob.attempts + 1))
    db.session.commit()
    if claimed.rowcount != 1:
        return None
    return db.session.execute(select(BackgroundJob).where(BackgroundJob.token == token)).scalar_one()


def tidy() -> None:
    """Put back jobs whose worker died under them or whose message was lost; drop results a day old."""
    timeout = timedelta(seconds=current_app.config["JOB_TIMEOUT_SECONDS"] * 2)
    stale = select(BackgroundJob.token, BackgroundJob.attempts).where(
        BackgroundJob.state == RUNNING, BackgroundJob.started_at < clock.now() - timeout)
    _resend_lost()  # first: the jobs put back below bring messages of their own
    for token, attempts in db.session.execute(stale).all():
        _retry(token) if attempts < MAX_ATTEMPTS else _give_up(token)
    db.session.execute(delete(BackgroundJob).where(BackgroundJob.state.in_((DONE, FAILED)),
                                                   BackgroundJob.created_at < clock.now() - KEEP))
    db.session.commit()


def _resend_lost() -> None:
    # Rows still waiting while the queue holds no message lost theirs (a restore from backup, a
    # queue storage down when they were submitted). A second message is harmless: only one claims.
    queue = current_app.extensions["jobs"]
    if queue.huey.immediate or queue.huey.pending_count():
        return
    waiting = select(BackgroundJob.token).where(BackgroundJob.state == QUEUED,
                                                BackgroundJob.created_at < clock.now() - LOST_AFTER)
    for token in db.session.execute(waiting.order_by(BackgroundJob.id)).scalars().all():
        queue.enqueue(token)


def _retry(token: str) -> None:
    back = db.session.execute(update(BackgroundJob).where(BackgroundJob.token == token,
                                                          BackgroundJob.state == RUNNING)
                              .values(state=QUEUED, started_at=None))
    db.session.commit()
    if back.rowcount == 1:  # another worker's tidy may have put it back first
        current_app.extensions["jobs"].enqueue(token)


def _give_up(token: str) -> None:
    db.session.execute(update(BackgroundJob).where(BackgroundJob.token == token, BackgroundJob.state == RUNNING)
                       .values(state=FAILED, error="the worker stopped while running this job",
                               finished_at=clock.now()))
