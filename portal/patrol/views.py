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
from ..records import hall_record
from ..refusals import refused
from ..roles import PATROL_READERS, PATROLLERS
from ..uploads import service as uploads
from . import bp, cards, checklist, findings, service
from .helpers import confirmed, go
from .models import PatrolRound, PatrolVisit


def _index_panel(message: str = "", status: int = 200):
    today, user = clock.today(), current_user
    done, due = service.rounds_status(today, user.hall_id)
    rounds = db.session.query(PatrolRound).filter_by(hall_id=user.hall_id, day=today).order_by(PatrolRound.id).all()
    patroller = user.has_role(*PATROLLERS)
    return render("patrol/index.html", "patrol/_index.html", status=status, today=today, done=done, due=due,
                  rounds=rounds, slots=service.slots_of(user.hall_id, today) if patroller else None,
                  patroller=patroller, message=message)


@bp.route("/")
@roles(*PATROL_READERS)
def index():
    """Show today's patrols: rounds done and due, the drawn times (to patrollers), and start a round."""
    return _index_panel()


@bp.route("/status")
@roles(*PATROL_READERS)
def status():
    """Today's rounds done and due: a small panel the duty desk loads beside its grid."""
    return render("patrol/status.html", "patrol/_home_panel.html",
                  patrol_status=service.rounds_status(clock.today(), current_user.hall_id))


@bp.route("/rounds", methods=["POST"])
@roles(*PATROLLERS)
@once
def start():
    """Start a round (or go back to the unfinished one of today)."""
    confirmed()
    patrol = service.start_round(current_user)
    db.session.commit()
    return go(url_for("patrol.round_view", round_id=patrol.id))


@bp.route("/draw", methods=["POST"])
@roles(*PATROLLERS)
@once
def draw():
    """Draw today's unannounced patrol times (once a day)."""
    confirmed()
    try:
        service.draw_times(current_user, clock.today())
    except service.PatrolError as error:
        return refused(error, _index_panel)
    db.session.commit()
    return _index_panel()


@bp.route("/rounds/<int:round_id>")
@roles(*PATROL_READERS)
def round_view(round_id):
    """Show the window grid of a round: each window's posts today and what was found."""
    patrol, shown = cards.round_cards(current_user, round_id)
    return render("patrol/round.html", "patrol/_round.html", patrol=patrol, cards=shown,
                  checked=sum(1 for c in shown if c.visits))


def _card(patrol, window_id: int, with_visits: bool = True):
    try:
        return cards.cards(patrol, window_id, with_visits)[0]
    except service.PatrolError as error:
        refused(error)


def _card_response(patrol, card, message: str = "", level: str = "ok", status: int = 200, progress=None):
    return render("patrol/card.html", "patrol/_card.html", status=status, patrol=patrol, card=card,
                  message=message, level=level, oob_progress=progress)


@bp.route("/rounds/<int:round_id>/windows/<int:window_id>")
@roles(*PATROL_READERS)
def card(round_id, window_id):
    """Show one window's card in a round."""
    try:
        patrol, card = cards.round_card(current_user, round_id, window_id)
    except service.PatrolError as error:
        return refused(error)
    return _card_response(patrol, card)


def _form_response(patrol, card, entry=None, message: str = "", status: int = 200, leave: list | None = None):
    return render("patrol/check.html", "patrol/_check.html", status=status, patrol=patrol, card=card,
                  sections=checklist.by_section(patrol.template.items), entry=entry or service.Entry("findings"),
                  message=message, leave=leave or [], max_photos=service.rules.get("patrol.max_photos"),
                  waives=findings.waives(True, False))


@bp.route("/rounds/<int:round_id>/windows/<int:window_id>/check")
@roles(*PATROLLERS)
def check(round_id, window_id):
    """Open a window's checklist: what each item costs, findings per A/B post, note, photos, corrected, N/A."""
    patrol = service.round_for(current_user, round_id)
    return _form_response(patrol, _card(patrol, window_id, with_visits=False))


def _entry() -> service.Entry:
    picks = []
    for raw in request.form.getlist("f"):
        item, _, person = raw.partition("-")
        if not (item.isdigit() and person.isdigit()):
            abort(400)
        picks.append((int(item), int(person) or None))
    action = request.form.get("action", "findings")
    if action not in ("findings", "na"):
        abort(400)
    flag = request.form.get
    return service.Entry(action, picks if action == "findings" else [], flag("note", ""), flag("na_reason", ""),
                         bool(flag("corrected")), bool(flag("serious")), bool(flag("confirm_leave")))


def _saved(patrol, window, visit):
    refused_photos = service.attach_photos(current_user, visit, request.files.getlist("photos"))
    commit_write(keep=(patrol, window))  # the card reads the visits again; the round and window are as read
    message = "；".join(refused_photos) + "。其余内容已保存" if refused_photos else "已保存"
    level = "warn" if refused_photos else "ok"
    if not is_htmx():  # the check page as a plain URL: back to the round's windows
        flash(f"{window.number} 号窗口：{message}", level)
        return redirect(url_for("patrol.round_view", round_id=patrol.id, _anchor=f"win-{window.id}"), 303)
    try:
        card, progress = cards.card_and_progress(patrol, window.id)
    except service.PatrolError as error:
        refused(error)
    return _card_response(patrol, card, message, level, progress=progress)


@bp.route("/rounds/<int:round_id>/windows/<int:window_id>", methods=["POST"])
@roles(*PATROLLERS)
@once
def save(round_id, window_id):
    """Save a window's findings (or N/A) and answer with the new card."""
    patrol, window, known, items = service.visit_target(current_user, round_id, window_id, with_items=True)
    if not ConfirmForm().validate_on_submit():
        patrol = service.round_for(current_user, round_id)  # the form shows its checklist
        return _form_response(patrol, _card(patrol, window_id), message="页面已过期，请刷新后重试", status=400)
    entry = _entry()
    try:
        visit = service.record_visit(current_user, patrol, window, entry, known, items)
    except service.PatrolError as error:
        leave = service.leave_conflicts(patrol, entry, known) if error.status == 409 else []
        patrol = service.round_for(current_user, round_id)  # the form shows its checklist
        return refused(error, _form_response, patrol=patrol, card=_card(patrol, window_id, False), entry=entry,
                       leave=leave)
    return _saved(patrol, window, visit)


@bp.route("/rounds/<int:round_id>/windows/<int:window_id>/ok", methods=["POST"])
@roles(*PATROLLERS)
@once
def all_ok(round_id, window_id):
    """Record a window as all in order (全部正常): one tap from its card."""
    patrol, window, known, _items = service.visit_target(current_user, round_id, window_id)
    confirmed()
    try:
        visit = service.record_visit(current_user, patrol, window, service.Entry("ok"), known)
    except service.PatrolError as error:
        return refused(error, _card_response, patrol=patrol, card=_card(patrol, window_id), level="error")
    return _saved(patrol, window, visit)


@bp.route("/rounds/<int:round_id>/finish", methods=["POST"])
@roles(*PATROLLERS)
def finish(round_id):
    """Finish the round and show its summary."""
    patrol = service.round_for(current_user, round_id)
    confirmed()
    try:
        service.finish_round(patrol)
    except service.PatrolError:
        db.session.rollback()  # finished already: the summary is what the person wanted
    else:
        db.session.commit()
    return go(url_for("patrol.summary", round_id=patrol.id))


@bp.route("/rounds/<int:round_id>/summary")
@roles(*PATROL_READERS)
def summary(round_id):
    """Show a round's summary: windows checked, findings by person and window, points."""
    patrol = service.round_for(current_user, round_id)
    seen = [c for c in cards.cards(patrol) if c.visits]
    found = [(c, v, f) for c in seen for v in c.visits for f in v.findings]
    return render("patrol/summary.html", "patrol/_summary.html", patrol=patrol, cards=seen, findings=found,
                  points=sum(f.person_centi + f.unit_centi for _c, _v, f in found if f.void is None) / 100)


@bp.route("/files/<token>")
@roles(*PATROL_READERS)
def photo(token):
    """Serve a patrol photo of this hall."""
    stored = uploads.by_token(token)
    if stored.owner_type != findings.PHOTO_OWNER:
        abort(404)
    hall_record(PatrolVisit, stored.owner_id)
    return uploads.send(stored, embedded=True)  # shown as a thumbnail on the card
