"""The per-request machinery: one hook before every request and one after it, in the order the portal needs.

Flask runs each registered hook through its own dispatch (a sync check and a lookup per hook); the
portal's run from one function each way instead. Before: an unchanged poll is answered first (nothing
loads the person), then the access guard (before CSRF, so an expired session is told to sign in
again), then Flask-WTF's CSRF check for the methods it checks. After: the security headers, then
Flask-Login's remember-cookie upkeep, in the order Flask ran them when each was a hook of its own.
"""
from flask import Flask, request, session


def install(app: Flask) -> None:
    """Replace the hooks of Flask-Login, Flask-WTF and the portal with one before and one after each request."""
    from . import polls, web
    from .auth.guard import check_access

    csrf_protect = _take(app.before_request_funcs, "csrf_protect")  # what csrf.init_app() added
    remember = _take(app.after_request_funcs, "_update_remember_cookie")  # what login_manager.init_app() added
    writes = frozenset(app.config["WTF_CSRF_METHODS"])
    refresh = bool(app.config.get("REMEMBER_COOKIE_REFRESH_EACH_REQUEST"))
    headers = web.security_headers(app)
    answer_unchanged = polls.answer_unchanged

    def before_request():
        answer = answer_unchanged()
        if answer is None:
            answer = check_access()
        if answer is None and request.method in writes:
            answer = csrf_protect()
        return answer

    def after_request(response):
        headers(response)
        # The portal never sets a remember cookie; a sign-out still clears one a browser may hold.
        if refresh or "_remember" in session:
            response = remember(response)
        return response

    app.before_request_funcs.setdefault(None, []).insert(0, before_request)
    app.after_request_funcs.setdefault(None, []).insert(0, after_request)


def _take(hooks: dict, name: str):
    """Remove the app-wide hook of this name (an extension's) and return it."""
    found = [f for f in hooks.get(None, []) if f.__name__ == name]
    assert len(found) == 1, (name, hooks)
    hooks[None].remove(found[0])
    return found[0]
