"""Scheduled jobs safe to start on several machines at once: each run of a job and period happens once.

A daily job (close-day, sessions-clean) claims its day in `job_run`: the unique key lets one machine
in, the others see the claim and stop. A job that runs all day long (remind) or a check an operator
may repeat (audit-verify) holds a PostgreSQL advisory lock while it runs instead: a second start at
the same moment does nothing.
"""
import socket
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy import String, UniqueConstraint, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from . import clock
from .database import is_postgres
from .extensions import db
from .models import PkMixin, UTCDateTime

LOCKS = {"remind": 7_420_101, "audit-verify": 7_420_102}  # PostgreSQL advisory lock ids


class JobRun(PkMixin, db.Model):
    """One claimed run of a scheduled job for one period (a day): who ran it, when, and how it ended."""

    __tablename__ = "job_run"
    __table_args__ = (UniqueConstraint("name", "period"),)

    name: Mapped[str] = mapped_column(String(40))
    period: Mapped[str] = mapped_column(String(40))
    host: Mapped[str] = mapped_column(String(120), default="")
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    result: Mapped[str] = mapped_column(String(200), default="")


def claim(name: str, period: str, again: bool = False) -> JobRun | None:
    """Claim a job's period for this machine; None when another run has it (unless again: a new run)."""
    if again:
        period = f"{period}#{clock.now():%H%M%S%f}"
    run = JobRun(name=name, period=period, host=socket.gethostname()[:120], started_at=clock.now())
    try:
        db.session.add(run)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return None
    return run


def finish(run: JobRun, result: str) -> None:
    """Note the end of a claimed run and what it did."""
    run.finished_at, run.result = clock.now(), result[:200]
    db.session.commit()


def holder(name: str, period: str) -> JobRun | None:
    """Return the run that claimed a job's period, if any."""
    return db.session.execute(select(JobRun).where(JobRun.name == name, JobRun.period == period)).scalar()


@contextmanager
def exclusive(name: str):
    """Yield True when this machine alone runs the job now (PostgreSQL advisory lock), False otherwise."""
    if not is_postgres():
        yield True  # one machine: cron does not overlap itself
        return
    with db.engine.connect() as conn:
        got = conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": LOCKS[name]}).scalar()
        conn.commit()
        try:
            yield bool(got)
        finally:
            if got:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": LOCKS[name]})
                conn.commit()


def daily(name: str, period: str, again: bool, work) -> tuple[bool, object]:
    """Run work() once for the period across every machine; return (ran, its result), and echo a skip."""
    import click
    run = claim(name, period, again)
    if run is None:
        other = holder(name, period)
        state = f"结果：{other.result}" if other and other.finished_at else "尚未结束"
        host = other.host if other else "另一台服务器"
        click.echo(f"{name} {period}：已由 {host} 运行，{state}（--again 可重新运行）")
        return False, None
    result = work()
    finish(run, str(result))
    return True, result


def each_hall(only: int | None = None):
    """Yield every active hall (or the one asked for), each inside its own rulebook and calendar.

    A job outside a request would otherwise read the county's values for every station.
    """
    from .org.models import Hall
    from .rulebook import calendar
    if only is not None:
        if db.session.get(Hall, only) is None:
            raise LookupError(f"没有编号为 {only} 的大厅")
        ids = [only]
    else:
        ids = db.session.execute(select(Hall.id).where(Hall.active.is_(True)).order_by(Hall.id)).scalars().all()
    for hall_id in ids:
        with calendar.batch(hall_id):
            yield hall_id

