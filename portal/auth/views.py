"""Sign-in, sign-out and password change pages."""
from flask import flash, redirect, render_template, request, session, url_for
from flask_login import current_user

from ..access import public, signed_in
from ..audit import service as audit
from ..extensions import db
from ..htmx import local_path
from ..rulebook import service as rules
from . import bp, passwords, service
from .forms import ChangePasswordForm, LoginForm


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    """Sign in with login name and password."""
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    notice = session.pop("login_notice", None)
    if form.validate_on_submit():
        user = service.authenticate(form.login.data, form.password.data)
        if user is not None:
            service.sign_in(user)
            return redirect(_next_url() or url_for("home.index"))
        form.password.errors.append(service.FAILED)
    status = 422 if form.errors else 200
    return render_template("auth/login.html", form=form, notice=notice), status


def _next_url() -> str | None:
    return local_path(request.args.get("next", ""))


@bp.route("/logout", methods=["POST"])
@signed_in
def logout():
    """Sign out and end the session on the server."""
    service.sign_out(current_user)
    session["login_notice"] = "已安全退出"
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
@signed_in
def change_password():
    """Change one's own password (required after a reset and when it has expired)."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        if not passwords.matches(user.password_hash, form.current.data):
            form.current.errors.append("当前密码不正确")
        else:
            problems = passwords.problems(form.new.data, user.login)
            if not problems and passwords.reused(user, form.new.data):
                problems.append("不能使用最近用过的密码")
            if problems:
                form.new.errors.extend(problems)
            else:
                passwords.set_password(user, form.new.data, must_change=False)
                # Whoever else holds a session of this account (another tablet, a thief) is signed out.
                ended = service.end_sessions(user, "password_change", keep=session.get("sid"))
                audit.record("auth.password_change", "user", user.id, "ok", {"other_sessions_ended": ended})
                db.session.commit()
                flash("密码已修改", "ok")
                return redirect(url_for("home.index"))
    status = 422 if form.errors else 200
    forced = current_user.must_change_password or passwords.expired(current_user)
    return render_template("auth/password.html", form=form, forced=forced,
                           min_length=rules.get("security.password_min_length"),
                           min_classes=rules.get("security.password_min_classes")), status
