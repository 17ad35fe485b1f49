"""`flask --app wsgi worker`: the process that runs background jobs, N at once."""
import logging

import click
from flask import current_app
from flask.cli import with_appcontext

from ..extensions import db
from . import service


@click.command("worker")
@click.option("--workers", type=int, default=None, help="jobs run at once (default: JOBS_AT_ONCE)")
@with_appcontext
def worker(workers):
    """Run background jobs (long PDFs) until stopped; Ctrl-C lets running jobs finish first."""
    app = current_app._get_current_object()
    queue = app.extensions["jobs"]
    if queue.huey.immediate:
        raise click.ClickException("QUEUE_IMMEDIATE is set: jobs run where they are submitted, not here")
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s worker %(levelname)s %(message)s")
    logging.getLogger("huey").setLevel(logging.INFO)  # each job's start and time; WeasyPrint's steps stay out
    queue.ensure_tables()
    service.tidy()  # jobs a dead worker left running past their time are put back at once
    db.session.remove()
    db.engine.dispose()  # the job processes are forked: each opens its own connections
    queue.huey.storage.close()
    count = workers or app.config["JOBS_AT_ONCE"]
    click.echo(f"HallDesk worker: {count} job(s) at once")
    queue.huey.create_consumer(
        workers=count, worker_type="process", periodic=True, check_worker_health=True, health_check_interval=1,
        max_tasks=app.config["JOBS_PER_PROCESS"], max_delay=app.config["QUEUE_POLL_SECONDS"],
    ).run()
