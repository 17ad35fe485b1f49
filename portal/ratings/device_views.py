"""The evaluator at the window (评价器, public, by token) and the admin page that pairs and revokes them."""
from flask import abort, current_app, make_response, render_template, request
from flask_login import current_user

from ..access import public, roles
from ..extensions import db
from ..forms import ConfirmForm
from ..htmx import render
from ..once import once
from ..org.models import Window
from ..refusals import refused
from ..roles import Role
from ..rulebook import service as rules
from ..snapshot import fresh
from . import bp, cases, evaluator_bp, tags, visits
from .evaluator import DEVICES, EvaluatorError, create, devices, plausible, poll_state, revoke
from .forms import EvaluatorForm
from .models import BAD_LEVELS, LEVELS

STOPPED = '"stopped"'
THANKS = "evaluator/_thanks.html"


def _stopped(message="这台评价器已停用"):
    """Answer a wrong or revoked evaluator address with a neutral page: no portal page on a public device."""
    return fresh(make_response(render_template("evaluator/stopped.html", message=message), 404), STOPPED)


def _panel(state, **context):
    """Render what the device shows now: the five levels for a waiting visit, or idle."""
    asking = state.asking()
    return dict(state=state, etag=state.etag(), asking=asking, levels=LEVELS, **context)


@evaluator_bp.route("/<token>")
@public
def device(token):
    """Show the evaluator: idle, or the five levels when the clerk has invited a rating."""
    state = poll_state(token)
    if state is None:
        return _stopped()
    return fresh(make_response(render_template("evaluator/device.html", token=token, **_panel(state))), state.etag())


@evaluator_bp.route("/<token>/state")
@public
def state(token):
    """Answer the evaluator's poll: 304 from the worker's copy when nothing changed, the new panel otherwise."""
    found = poll_state(token)
    if found is None:
        return _stopped()
    etag = found.etag()
    if etag in request.headers.get("If-None-Match", ""):
        return fresh(make_response("", 304), etag)
    return fresh(make_response(render_template("evaluator/_panel.html", token=token, **_panel(found))), etag)


@evaluator_bp.route("/<token>/rate", methods=["POST"])
@public
def rate(token):
    """Take a tap: a bad level first asks for its tags; then the rating is saved once for the visit.

    The database's word, not this worker's copy: one read finds the active device and the visit it names
    (a device revoked a moment ago saves nothing); the flood limit counts the tap whatever its fate.
    """
    form = request.form
    answer = visits.Answer(form.get("level", ""), form.getlist("tag"), form.get("text", ""),
                           form.get("name", ""), form.get("phone", ""))
    level = int(answer.level) if answer.level.isascii() and answer.level.isdigit() else 0
    if level in LEVELS and (level not in BAD_LEVELS or form.get("detail")) and plausible(token):
        try:  # a rating given (a bad level with its detail): saved on a connection of its own, on the driver
            saved = visits.rate_on_driver(token, form.get("invitation", ""), level, answer)
        except EvaluatorError as error:
            return _answer(token, "evaluator/_refused.html", status=error.status, message=error.message)
        if saved is False:
            return _stopped()
        if saved:
            DEVICES.bump()
            return _thanks(token)
    found = visits.visit(token, form.get("invitation", ""), level in BAD_LEVELS) if plausible(token) else None
    if found is None:
        return _stopped()
    try:
        with rules.in_hall(found.hall_id):  # the device's hall's rulebook and calendar (limit, deadline)
            template, context = _save(found, form, answer)
    except EvaluatorError as error:
        db.session.commit()
        return _answer(token, "evaluator/_refused.html", status=error.status, message=error.message)
    db.session.commit()
    if template == THANKS:
        DEVICES.bump()  # this worker's copy shows the visit rated at once; the others see the signal
    return _answer(token, template, **context)


def _save(found: visits.Visit, form, answer: visits.Answer) -> tuple[str, dict]:
    """Count the tap and save the rating it gives, if any; return what the device shows next."""
    try:
        template, context, values = _take(found, form, answer)
    except EvaluatorError:
        visits.count_tap(found.device_id)  # counted whatever its fate: past the limit, that refusal is told
        raise
    # A bad review's case deadline is read from the calendar now, before the first write takes SQLite's lock.
    due_at = cases.term_due("verify") if values is not None and values["level"] in BAD_LEVELS else None
    audit_row = visits.audit_row_of(values) if values is not None else None  # its words before the lock, too
    rating_id = visits.count_tap(found.device_id, values)
    if values is not None:
        visits.rated(found, values, rating_id, due_at, audit_row)
    return template, context


def _take(found: visits.Visit, form, answer: visits.Answer) -> tuple[str, dict, dict | None]:
    """Check the tap (nothing saved yet): a bad level first asks for its detail, else the rating's values."""
    level = visits.level_of(answer.level)
    if level in BAD_LEVELS and not form.get("detail"):
        visits.check(found)
        return "evaluator/_detail.html", dict(level=level, invitation=found.invitation_id,
                                              tag_list=tags.in_force(found.tags), etag=found.etag()), None
    return THANKS, {}, visits.rating_values(found, level, answer)


def _thanks(token):
    """Answer a saved rating with the thanks panel, rendered once per device and worker (it has no other data)."""
    rendered = current_app.extensions.setdefault("evaluator_thanks", {})
    if token not in rendered:
        rendered[token] = current_app.jinja_env.get_template(THANKS).render(token=token)
    return current_app.response_class(rendered[token])


def _answer(token, template, status=200, **context):
    """Answer with a panel of the device: the template alone (no person, no context processors to run)."""
    return current_app.response_class(current_app.jinja_env.get_template(template).render(token=token, **context),
                                      status)


def _devices_page(form=None, message="", ok=False, status=200):
    form = form or EvaluatorForm()
    form.window_id.choices = _window_choices()
    return render("ratings/devices.html", "ratings/_devices.html", status=status, form=form, message=message,
                  ok=ok, devices=devices(current_user.hall_id), actions=ConfirmForm())


def _window_choices():
    rows = db.session.execute(db.select(Window).where(Window.hall_id == current_user.hall_id, Window.active)
                              .order_by(Window.number)).scalars()
    return [(w.id, f"{w.number}号 {w.name}") for w in rows]


@bp.route("/evaluators")
@roles(Role.ADMIN)
def evaluators():
    """List the hall's evaluators with their addresses; pair one to a window or revoke one."""
    return _devices_page()


@bp.route("/evaluators", methods=["POST"])
@roles(Role.ADMIN)
@once
def add_evaluator():
    """Pair a new evaluator to a window, with a new secret address."""
    form = EvaluatorForm()
    form.window_id.choices = _window_choices()
    if not form.validate_on_submit():
        return _devices_page(form, "请检查填写的内容", status=422)
    found = create(current_user, form.window_id.data, form.name.data)
    db.session.commit()
    return _devices_page(message=f"已添加评价器“{found.name}”，请在评价器的浏览器中打开下面的地址", ok=True)


@bp.route("/evaluators/<int:device_id>/revoke", methods=["POST"])
@roles(Role.ADMIN)
def revoke_evaluator(device_id):
    """Revoke an evaluator's address: it shows 已停用 from its next poll on."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        found = revoke(current_user, device_id)
    except EvaluatorError as error:
        return refused(error, lambda message, status: _devices_page(message=message, status=status))
    db.session.commit()
    return _devices_page(message=f"已停用评价器“{found.name}”", ok=True)
