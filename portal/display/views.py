"""The hall screen (大厅屏幕) and its admin page."""
from flask import abort, make_response, render_template, request
from flask_login import current_user

from .. import clock
from ..access import public, roles
from ..extensions import db
from ..forms import ConfirmForm
from ..htmx import render
from ..notices import service as notices
from ..once import once
from ..refusals import refused
from ..roles import Role
from ..snapshot import fresh as _fresh
from . import bp, service
from .forms import ScreenForm


def _stopped():
    """Answer a wrong or revoked screen address with a neutral page: a public TV shows no portal page."""
    return _fresh(make_response(render_template("display/stopped.html"), 404), '"stopped"')


@bp.route("/<token>")
@public
def screen(token):
    """Show the hall screen: rotating public notices, clock, duty leader, sit-ins, reception day."""
    state = service.poll_state(token)
    if state is None:
        return _stopped()
    etag = state.etag()
    return _fresh(make_response(render_template(
        "display/screen.html", state=state, etag=etag, html=notices.to_html, token=token,
        server_ms=int(clock.now().timestamp() * 1000), **service.content(state))), etag)


@bp.route("/<token>/content")
@public
def content(token):
    """Answer a screen's poll: 304 when nothing changed (no rendering), the new content otherwise."""
    state = service.poll_state(token)
    if state is None:
        return _stopped()  # the screen reloads on a 404 and shows the page
    etag = state.etag()
    if etag in request.headers.get("If-None-Match", ""):
        return _fresh(make_response("", 304), etag)
    return _fresh(make_response(render_template(
        "display/_content.html", state=state, etag=etag, html=notices.to_html, **service.content(state))), etag)


def _screens_page(form=None, message="", ok=False, status=200):
    return render("display/screens.html", "display/_screens.html", status=status, form=form or ScreenForm(),
                  screens=service.screens(current_user.hall_id), message=message, ok=ok)


@bp.route("/screens")
@roles(Role.ADMIN)
def screens():
    """List the hall's screens with their addresses; add or revoke one."""
    return _screens_page()


@bp.route("/screens", methods=["POST"])
@roles(Role.ADMIN)
@once
def add_screen():
    """Add a screen with a new secret address."""
    form = ScreenForm()
    if not form.validate_on_submit():
        return _screens_page(form, "请检查填写的内容", status=422)
    screen = service.create_screen(current_user, form.name.data, form.location.data)
    db.session.commit()
    return _screens_page(message=f"已添加屏幕“{screen.name}”，请在屏幕的浏览器中打开下面的地址", ok=True)


@bp.route("/screens/<int:screen_id>/revoke", methods=["POST"])
@roles(Role.ADMIN)
def revoke(screen_id):
    """Revoke a screen's address: the screen shows nothing from its next poll on."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        screen = service.revoke(current_user, screen_id)
    except service.ScreenError as error:
        return refused(error, lambda message, status: _screens_page(message=message, status=status))
    db.session.commit()
    return _screens_page(message=f"已停用屏幕“{screen.name}”", ok=True)
