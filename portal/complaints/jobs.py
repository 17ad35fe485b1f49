"""The daily complaints job: escalate unsigned hand-offs, 催办 missed deadlines, overdue points once a day."""
from datetime import datetime

import click
from flask.cli import with_appcontext

from .. import clock, scheduled
from ..extensions import db
from . import deadlines, points
from .models import OPEN_STATES, Complaint
from .service import cases, escalate_unsigned, step


def urge(case: Complaint, now: datetime):
    """Send a 催办 notice once, the day after the reply deadline was missed."""
    due = deadlines.of(case, clock.local(now).date()).reply_by
    if case.state not in OPEN_STATES or due is None or clock.local(now).date() <= deadlines.day_of(due):
        return None
    key = f"complaint-urged:{case.id}:{case.round}"
    if any(s.key == key for s in case.steps):
        return None
    return step(case, "urged", unit_id=case.unit_id, key=key, note="答复期限已过，请尽快办理")


def run(hall_id: int, now: datetime | None = None) -> list[str]:
    """Run the day's complaint rules for one hall; running again the same day adds nothing."""
    now = now or clock.now()
    today, lines = clock.local(now).date(), []
    for case in cases(hall_id, open_only=True, limit=100000):
        accept_by = deadlines.of(case, today).accept_by
        if accept_by and escalate_unsigned(case, now, accept_by):
            lines.append(f"{case.number}: 超时未签收，已上报总值班长")
        if urge(case, now):
            lines.append(f"{case.number}: 已催办")
        charged = points.charge_overdue(case, today)
        if charged:
            lines.append(f"{case.number}: 逾期扣分 {charged} 天")
    db.session.flush()
    return lines


@click.command("complaints-daily")
@with_appcontext
def complaints_daily():
    """Escalate unsigned cases, urge missed deadlines and charge overdue days (safe to run often)."""
    for hall_id in scheduled.each_hall():
        for line in run(hall_id):
            click.echo(line)
    db.session.commit()
