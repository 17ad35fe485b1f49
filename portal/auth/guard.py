"""The access guard: every request is checked against its view's access marker."""
from flask import abort, current_app, g, redirect, request, session, url_for
from flask_login import current_user

from ..access import PUBLIC, SIGNED_IN, access_of
from ..htmx import hx_redirect, is_htmx
from . import passwords

# Pages a person may still use while their password must be changed.
PASSWORD_CHANGE_ENDPOINTS = {"auth.change_password", "auth.logout", "static", "vendor"}


def check_access():
    """Refuse anonymous people, people without the role, and views that declare no access."""
    endpoint = request.endpoint
    if endpoint is None:
        return None  # 404/405 are answered by Flask itself
    view = current_app.view_functions.get(endpoint)
    access = "public" if endpoint in ("static", "vendor") else access_of(view)
    if access == PUBLIC:
        return None
    if not current_user.is_authenticated:
        return _to_login()
    if current_user.must_change_password or passwords.expired(current_user):
        if endpoint not in PASSWORD_CHANGE_ENDPOINTS:
            return _go(url_for("auth.change_password"))
    if access == SIGNED_IN:
        return None
    if access is None or not (current_user.roles & access):
        abort(403)  # audited by the 403 handler, like every other refusal
    return None


def _to_login():
    reason = g.get("session_ended")
    if reason:
        session["login_notice"] = {"idle": "长时间未操作，已自动退出，请重新登录",
                                   "absolute": "登录已超过最长有效期，请重新登录",
                                   "revoked": "您的登录已被结束，请重新登录",
                                   "inactive": "账号已停用"}.get(reason, "请重新登录")
    target = url_for("auth.login", next=_safe_next())
    return _go(target)


def _safe_next() -> str | None:
    # Only same-site paths come back after sign-in, and never an htmx fragment URL.
    if request.method != "GET" or is_htmx():
        return None
    return request.full_path.rstrip("?") if request.path != "/" else None


def _go(target: str):
    if is_htmx():
        return hx_redirect(target)
    return redirect(target)
