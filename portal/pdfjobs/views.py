"""Show a background PDF's progress and hand it over when it is ready."""
from flask import abort, request
from flask_login import current_user

from ..access import signed_in
from ..htmx import local_path, render
from ..pdf import job_response, job_state
from . import bp

LABEL_CHARS = 20  # the back link names a page ("值班巡查"), not a sentence


@bp.route("/jobs/<job>")
@signed_in
def status(job):
    """Show whether the document is still being made (the fragment polls until it is ready)."""
    state = job_state(job, current_user.id) or abort(404)
    back = local_path(request.args.get("back"))
    label = request.args.get("back_label", "")[:LABEL_CHARS] if back else ""
    return render("pdfjobs/status.html", "pdfjobs/_status.html", state=state, back=back, back_label=label)


@bp.route("/jobs/<job>/file")
@signed_in
def download(job):
    """Open the finished document."""
    return job_response(job, current_user.id) or abort(404)
