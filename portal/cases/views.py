"""Case pages: the hall's open cases, one case, a person's own, and the duty desk's case panel."""
from flask import abort, request
from flask_login import current_user

from .. import clock
from ..access import roles
from ..htmx import render
from ..once import once
from ..refusals import Refusal, refused
from ..roles import CASE_READERS, DESK, READERS, Role
from . import bp, desk, service
from .deadlines import OPEN_STATES, STATES
from .forms import RemindForm


def _scoped(found):
    """A window leader reads the cases of their unit only."""
    if current_user.has_role(Role.ADMIN, Role.SUPERVISOR, Role.GENERAL_DUTY, Role.DUTY_LEADER):
        return found
    return [c for c in found if c.window.department_id == current_user.department_id]


@bp.route("/")
@roles(*CASE_READERS)
def index():
    """List the hall's open cases with their deadlines (filter by state)."""
    state = request.args.get("state") or None
    found = _scoped(service.open_cases(current_user.hall_id))
    counts = {s: sum(1 for c in found if c.deadline.state == s) for s in OPEN_STATES}
    shown = [c for c in found if state is None or c.deadline.state == state]
    shown.sort(key=lambda c: (c.deadline.state != "overdue", c.deadline.due))
    return render("cases/index.html", "cases/_list.html", cases=shown, counts=counts, state=state, states=STATES)


@bp.route("/mine")
@roles(*READERS)
def mine():
    """List the person's own open cases and those of their window."""
    found = [c for c in service.open_cases(current_user.hall_id)
             if c.clerk_id == current_user.id or (current_user.window_id and c.window_id == current_user.window_id)]
    found.sort(key=lambda c: c.deadline.due)
    return render("cases/mine.html", "cases/_list.html", cases=found, counts=None, state=None, states=STATES)


@bp.route("/case/<path:number>")
@roles(*READERS)
def case_page(number):
    """Show one case: its deadline, pauses and every import that changed it."""
    try:
        case = service.by_number(current_user.hall_id, number)
    except Refusal as e:
        return refused(e)
    own = case.clerk_id == current_user.id or case.window_id == current_user.window_id
    if not own and not (current_user.has_role(*CASE_READERS) and _scoped([case])):
        abort(404)
    return render("cases/case.html", "cases/_case.html", case=case,
                  history=service.history(current_user.hall_id, number))


def _desk(message="", status=200, **_ignored):
    hall_id = current_user.hall_id
    rows = desk.panel(hall_id)
    return render("cases/desk.html", "cases/_desk_panel.html", status, rows=rows, marks=desk.grid_marks(hall_id, rows),
                  form=RemindForm(formdata=None), message=message, today=clock.today())


@bp.route("/desk")
@roles(*DESK)
def desk_panel():
    """Show the desk's case panel: each window's cases due today or overdue, and today's reminders."""
    return _desk()


@bp.route("/remind/<int:window_id>", methods=["POST"])
@roles(*DESK)
@once
def remind(window_id):
    """Record the duty leader's reminder to a window about its cases near or past their deadline."""
    form = RemindForm()
    if not form.validate_on_submit():
        return _desk("提醒内容不能超过 200 字", 422)
    try:
        row = desk.remind(current_user.hall_id, window_id, current_user, form.note.data)
    except Refusal as e:
        return refused(e, _desk)
    return _desk(f"已提醒 {row.window.number}号窗口（{row.numbers.replace(',', '、')}）")
