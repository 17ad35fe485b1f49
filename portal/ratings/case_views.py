"""Bad-review cases (差评整改): the unit's list, one case with its steps, and each step's form."""
from flask import abort, request
from flask_login import current_user

from .. import clock
from ..access import roles
from ..extensions import db
from ..forms import ConfirmForm
from ..htmx import render
from ..records import hall_record
from ..refusals import refused
from ..roles import RATING_CASE_WORKERS, RATING_CENTER, Role
from . import approvals, bp, cases
from .models import KINDS, LEVELS, STATES, RatingCase

CASE_READERS = (*RATING_CASE_WORKERS, Role.GENERAL_DUTY)


def _all_units() -> bool:
    return current_user.has_role(*RATING_CENTER, Role.GENERAL_DUTY)


def _case(case_id: int) -> RatingCase:
    return hall_record(RatingCase, case_id, department_id=None if _all_units() else current_user.department_id)


@bp.route("/cases")
@roles(*CASE_READERS)
def case_list():
    """List the bad-review cases of the unit (the center sees every unit), open ones first."""
    state = request.args.get("state", "")
    found = cases.of_hall(current_user.hall_id, None if _all_units() else current_user.department_id,
                          [state] if state in STATES else None)
    return render("ratings/cases.html", "ratings/_cases.html", cases=found, state=state, states=STATES,
                  now=clock.now())


def _case_panel(case, message="", ok=False, status=200):
    return render("ratings/case.html", "ratings/_case.html", status=status, case=case, rating=case.rating,
                  now=clock.now(), kinds=KINDS, levels=LEVELS, message=message, ok=ok,
                  center=current_user.has_role(*RATING_CENTER),
                  worker=current_user.has_role(*RATING_CASE_WORKERS))


@bp.route("/cases/<int:case_id>")
@roles(*CASE_READERS)
def case(case_id):
    """Show one case: the review (rater masked), its steps, and the form of the step it waits for."""
    return _case_panel(_case(case_id))


STEPS = {
    "verify": lambda u, c, f: cases.verify(u, c, f.get("note")),
    "classify": lambda u, c, f: approvals.classify(u, c, f.get("kind", ""), f.get("note")),
    "rectify": lambda u, c, f: cases.rectify(u, c, f.get("note")),
    "callback": lambda u, c, f: cases.callback(u, c, f.get("note")),
    "extend": lambda u, c, f: approvals.ask(u, c, "extend", f.get("note")),
    "unable": lambda u, c, f: approvals.ask(u, c, "unable", f.get("note")),
    "review": lambda u, c, f: approvals.review(u, c, f.get("approved") == "1", f.get("note")),
    "appeal": lambda u, c, f: cases.appeal(u, c, f.get("note")),
    "decide": lambda u, c, f: cases.decide(u, c, f.get("upheld") == "1", f.get("note")),
    "followup": lambda u, c, f: cases.followup(u, c, int(f.get("level") or 0), f.get("note")),
}


@bp.route("/cases/<int:case_id>/<action>", methods=["POST"])
@roles(*RATING_CASE_WORKERS)
def step(case_id, action):
    """Record one step of a case (every step is a new record; nothing is edited away)."""
    if action not in STEPS:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    found = _case(case_id)
    if not (request.form.get("level") or "0").isdigit():
        abort(400)
    try:
        done = STEPS[action](current_user, found, request.form)
    except cases.CaseError as error:
        return refused(error, lambda message, status: _case_panel(_case(case_id), message, status=status))
    db.session.commit()
    return _case_panel(found, f"已记录：{done.action_label}", ok=True)
