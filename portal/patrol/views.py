"""The patrol desk and a round on the tablet: window grid, window cards, finish and summary."""
from flask import abort, flash, redirect, request, url_for
from flask_login import current_user

from .. import clock
from ..access import roles
from ..database import commit_write
from ..extensions import db
from ..forms import ConfirmForm
from ..htmx import is_htmx, render
from ..once import once
from ..org.models import Window
from ..roles import Role
from ..scores import service as scores
from ..uploads import service as uploads
from . import bp, checklist, service
from .models import PatrolRound, PatrolVisit

PATROLLERS = (Role.DUTY_LEADER, Role.GENERAL_DUTY, Role.SUPERVISOR)
READERS = PATROLLERS + (Role.ADMIN,)

# A score event's evidence opens its patrol visit for those who may read patrols.
scores.EVIDENCE_LINKS[service.PHOTO_OWNER] = ("patrol.visit", "visit_id", READERS)


def _refuse(error: service.PatrolError):
    db.session.rollback()
    abort(error.status)


@bp.route("/")
@roles(*READERS)
def index():
    """Show today's patrols: rounds done and due, the drawn times (to patrollers), and start a round."""
    today, user = clock.today(), current_user
    done, due = service.rounds_status(today, user.hall_id)
    rounds = db.session.query(PatrolRound).filter_by(hall_id=user.hall_id, day=today).order_by(PatrolRound.id).all()
    patroller = user.has_role(*PATROLLERS)
    return render("patrol/index.html", "patrol/_index.html", today=today, done=done, due=due, rounds=rounds,
                  slots=service.slots_of(user.hall_id, today) if patroller else None, patroller=patroller,
                  form=ConfirmForm())


@bp.route("/status")
@roles(*READERS)
def status():
    """Today's rounds done and due: a small panel the duty desk loads beside its grid."""
    return render("patrol/status.html", "patrol/_home_panel.html",
                  patrol_status=service.rounds_status(clock.today(), current_user.hall_id))


@bp.route("/rounds", methods=["POST"])
@roles(*PATROLLERS)
@once
def start():
    """Start a round (or go back to the unfinished one of today)."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    patrol = service.start_round(current_user)
    db.session.commit()
    return redirect(url_for("patrol.round_view", round_id=patrol.id))


@bp.route("/draw", methods=["POST"])
@roles(*PATROLLERS)
@once
def draw():
    """Draw today's unannounced patrol times (once a day)."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        service.draw_times(current_user, clock.today())
        db.session.commit()
    except service.PatrolError as error:
        db.session.rollback()
        if error.status != 409:
            abort(error.status)
    return redirect(url_for("patrol.index"))


def _round(round_id: int) -> PatrolRound:
    try:
        return service.round_for(current_user, round_id)
    except service.PatrolError as error:
        _refuse(error)


@bp.route("/rounds/<int:round_id>")
@roles(*READERS)
def round_view(round_id):
    """Show the window grid of a round: each window's posts today and what was found."""
    patrol = _round(round_id)
    cards = service.cards(patrol)
    return render("patrol/round.html", "patrol/_round.html", patrol=patrol, cards=cards,
                  checked=sum(1 for c in cards if c.visits), form=ConfirmForm())


def _card(patrol, window_id: int, with_visits: bool = True):
    try:
        return service.cards(patrol, window_id, with_visits)[0]
    except service.PatrolError as error:
        _refuse(error)


def _card_response(patrol, card, message: str = "", level: str = "ok", status: int = 200, progress=None):
    return render("patrol/card.html", "patrol/_card.html", status=status, patrol=patrol, card=card,
                  message=message, level=level, oob_progress=progress)


@bp.route("/rounds/<int:round_id>/windows/<int:window_id>")
@roles(*READERS)
def card(round_id, window_id):
    """Show one window's card in a round."""
    patrol = _round(round_id)
    return _card_response(patrol, _card(patrol, window_id))


def _form_response(patrol, card, entry=None, message: str = "", status: int = 200, leave: list | None = None):
    return render("patrol/check.html", "patrol/_check.html", status=status, patrol=patrol, card=card,
                  sections=checklist.by_section(patrol.template.items), entry=entry or service.Entry("findings"),
                  message=message, leave=leave or [], max_photos=service.rules.get("patrol.max_photos"))


@bp.route("/rounds/<int:round_id>/windows/<int:window_id>/check")
@roles(*PATROLLERS)
def check(round_id, window_id):
    """Open a window's checklist: findings per person, note, photos, corrected, N/A."""
    patrol = _round(round_id)
    return _form_response(patrol, _card(patrol, window_id, with_visits=False))


def _entry() -> service.Entry:
    picks = []
    for raw in request.form.getlist("f"):
        item, _, person = raw.partition("-")
        if not (item.isdigit() and person.isdigit()):
            abort(400)
        picks.append((int(item), int(person) or None))
    action = request.form.get("action", "findings")
    if action not in ("ok", "findings", "na"):
        abort(400)
    flag = request.form.get
    return service.Entry(action, picks if action == "findings" else [], flag("note", ""), flag("na_reason", ""),
                         bool(flag("corrected")), bool(flag("serious")), bool(flag("confirm_leave")))


@bp.route("/rounds/<int:round_id>/windows/<int:window_id>", methods=["POST"])
@roles(*PATROLLERS)
@once
def save(round_id, window_id):
    """Save a window's card (all in order, findings, or N/A) and answer with the new card."""
    patrol = _round(round_id)
    window = db.session.get(Window, window_id)
    if window is None or window.hall_id != patrol.hall_id:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        return _form_response(patrol, _card(patrol, window_id), message="页面已过期，请刷新后重试", status=400)
    entry = _entry()
    try:
        visit = service.record_visit(current_user, patrol, window, entry)
    except service.PatrolError as error:
        db.session.rollback()
        if error.status in (400, 404):
            abort(error.status)
        leave = service.leave_conflicts(patrol, entry) if error.status == 409 else []
        return _form_response(patrol, _card(patrol, window_id, False), entry, error.message, error.status, leave)
    refused = service.attach_photos(current_user, visit, request.files.getlist("photos"))
    commit_write()
    message = "；".join(refused) + "。其余内容已保存" if refused else "已保存"
    if not is_htmx():  # the check page as a plain URL: back to the round's windows
        flash(f"{window.number} 号窗口：{message}", "warn" if refused else "ok")
        return redirect(url_for("patrol.round_view", round_id=patrol.id, _anchor=f"win-{window.id}"), 303)
    return _card_response(patrol, _card(patrol, window_id), message, "warn" if refused else "ok",
                          progress=service.progress(patrol))


@bp.route("/rounds/<int:round_id>/finish", methods=["POST"])
@roles(*PATROLLERS)
def finish(round_id):
    """Finish the round and show its summary."""
    patrol = _round(round_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        service.finish_round(patrol)
    except service.PatrolError:
        db.session.rollback()
    else:
        db.session.commit()
    return redirect(url_for("patrol.summary", round_id=patrol.id))


@bp.route("/rounds/<int:round_id>/summary")
@roles(*READERS)
def summary(round_id):
    """Show a round's summary: windows checked, findings by person and window, points."""
    patrol = _round(round_id)
    cards = [c for c in service.cards(patrol) if c.visits]
    findings = [(c, v, f) for c in cards for v in c.visits for f in v.findings]
    return render("patrol/summary.html", "patrol/_summary.html", patrol=patrol, cards=cards, findings=findings,
                  points=sum(f.person_centi + f.unit_centi for _c, _v, f in findings) / 100)


@bp.route("/visits/<int:visit_id>")
@roles(*READERS)
def visit(visit_id):
    """Show one window visit of a patrol with its findings and photos (the ledger's evidence)."""
    row = db.session.get(PatrolVisit, visit_id)
    if row is None or row.hall_id != current_user.hall_id:
        abort(404)
    photos = uploads.files_of(service.PHOTO_OWNER, [row.id])[row.id]
    return render("patrol/visit.html", "patrol/_visit.html", visit=row, photos=photos, post_form=ConfirmForm())


@bp.route("/files/<token>")
@roles(*READERS)
def photo(token):
    """Serve a patrol photo of this hall."""
    stored = uploads.by_token(token)
    row = db.session.get(PatrolVisit, stored.owner_id) if stored.owner_type == service.PHOTO_OWNER else None
    if row is None or row.hall_id != current_user.hall_id:
        abort(404)
    return uploads.send(stored, embedded=True)  # shown as a thumbnail on the card


from . import admin_views  # noqa: E402,F401
