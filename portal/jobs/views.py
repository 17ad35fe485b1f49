"""A background task's progress and outcome, for the person who started it (any app server answers)."""
from flask import abort, current_app
from flask_login import current_user

from .. import clock
from ..access import signed_in
from ..htmx import render
from . import bp, service, tasks


@bp.route("/<job>")
@signed_in
def status(job):
    """Show whether the task waits, runs or is done, and what it did (the fragment polls until it is done)."""
    found = service.owned(job, current_user.id) or abort(404)
    since = found.started_at or found.created_at
    return render("jobs/status.html", "jobs/_status.html", job=found, place=service.place(found),
                  at_once=current_app.config["JOBS_AT_ONCE"], outcome=tasks.outcome(found),
                  elapsed=int((clock.now() - since).total_seconds()))
