"""Response headers, error pages and template helpers shared by every page."""
import json
import secrets

from flask import Flask, current_app, g, has_request_context, render_template, request, session
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import Forbidden

from . import clock, once
from .htmx import is_htmx
from .roles import Role

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
       "font-src 'self'; connect-src 'self'; media-src 'self' blob:; object-src 'none'; "
       "base-uri 'none'; frame-ancestors 'none'; form-action 'self'")

HSTS = ("Strict-Transport-Security", "max-age=31536000; includeSubDomains")

_DEFAULT_403 = Forbidden.description

# htmx settings for every page: no requests to other sites, no scripts or eval from swapped HTML, and
# which answers swap (409 and 422 carry a form's message; other 4xx/5xx are shown as errors).
HTMX_CONFIG = json.dumps({
    "selfRequestsOnly": True, "allowScriptTags": False, "allowEval": False, "historyCacheSize": 0,
    "refreshOnHistoryMiss": True, "includeIndicatorStyles": False,
    "responseHandling": [{"code": "204", "swap": False}, {"code": "304", "swap": False},
                         {"code": "[23]..", "swap": True}, {"code": "409", "swap": True},
                         {"code": "422", "swap": True}, {"code": "[45]..", "swap": False, "error": True}],
}, separators=(",", ":"))


def init_app(app: Flask) -> None:
    """Install error handlers and template globals (the security headers come with machinery.install)."""
    for code, handler in ((403, _forbidden), (404, _not_found), (405, _not_allowed),
                          (409, _conflict), (413, _too_large), (500, _server_error)):
        app.register_error_handler(code, handler)
    app.register_error_handler(CSRFError, _csrf_error)
    app.jinja_env.globals.update(Role=Role, now=clock.now, once_field=once.field, htmx_config=HTMX_CONFIG,
                                 url_for=_kept_urls(app))
    app.jinja_env.filters.update(localtime=_localtime, localdate=_localdate)


URLS_KEPT = 20000  # relative URLs a worker remembers building (ids make them many; cleared when full)
_KEY_TYPES = (str, int)  # values kept by: a bool or float equal to an int would build another URL


def _kept_urls(app: Flask):
    """Return the templates' url_for: Flask's, its relative URLs remembered by their arguments.

    A page builds tens of links (a desk page 40, 5-8 µs each); the same endpoint and values under the same
    script root always give the same relative URL, as long as no url_defaults function adds values. Anything
    else (_external, _anchor and the other options, a blueprint-relative name, no request, values other
    than strings and integers) is built by Flask every time.
    """
    built: dict = {}
    build = app.url_for

    def url_for(endpoint: str, **values) -> str:
        if (endpoint[0] == "." or not has_request_context() or any(app.url_default_functions.values())
                or not all(type(v) in _KEY_TYPES and k[0] != "_" for k, v in values.items())):
            return build(endpoint, **values)
        key = (request.script_root, endpoint, *values.items())
        url = built.get(key)
        if url is None:
            if len(built) >= URLS_KEPT:
                built.clear()
            url = built[key] = build(endpoint, **values)
        return url

    return url_for


def security_headers(app: Flask):
    """Return the function that adds the headers every answer carries (their list built once)."""
    fixed = [("Content-Security-Policy", CSP), ("X-Content-Type-Options", "nosniff"),
             ("Referrer-Policy", "same-origin"), ("X-Frame-Options", "DENY")]
    ours = frozenset(name.lower() for name, _value in fixed + [("Cache-Control", ""), HSTS])
    config = app.config

    def add(response):
        h = response.headers
        if any(name.lower() in ours for name, _value in h):
            _security_headers(h, fixed, config)  # a view set one of them itself: set them one by one
            return response
        h.extend(fixed)
        # A 304 to a signed-in poll (polls.py) is answered without loading the person.
        if g.get("poll_unchanged") or _signed_in():
            h.add("Cache-Control", "no-store")
        if config["HSTS"]:
            h.add(*HSTS)
        return response

    return add


def _security_headers(h, fixed: list, config) -> None:
    csp, *others = fixed
    h.setdefault(*csp)  # a view's own policy (an upload's sandbox) stays
    for name, value in others:
        h[name] = value
    if g.get("poll_unchanged") or _signed_in():
        h["Cache-Control"] = "no-store"
    if config["HSTS"]:
        h[HSTS[0]] = HSTS[1]


def _signed_in() -> bool:
    """Say whether a person is signed in; a request whose cookie names nobody is not (no loader run)."""
    if "_login_user" not in g and "_user_id" not in session:
        return False
    return current_user.is_authenticated


def _localtime(moment, fmt="%Y-%m-%d %H:%M"):
    return clock.local(moment).strftime(fmt) if moment else ""


def _localdate(day, fmt="%Y-%m-%d"):
    return day.strftime(fmt) if day else ""


def _error(code: int, title: str, message: str, **extra):
    template = "errors/_error.html" if is_htmx() else "errors/error.html"
    return render_template(template, code=code, title=title, message=message, **extra), code


def _audit_refusal(event: str, why: str = "") -> None:
    """Record a refused request; a failure to record must not hide the refusal page."""
    from .audit import service as audit
    try:
        audit.record_now(event, "endpoint", request.endpoint or "", "denied",
                         {"path": request.path, "method": request.method, **({"why": why} if why else {})})
    except Exception:  # noqa: BLE001 - the refusal is answered whatever happens to its record
        current_app.logger.exception("could not audit a refused request")


def _forbidden(e):
    why = getattr(e, "description", "")
    _audit_refusal("access.denied", why if why != _DEFAULT_403 else "")
    return _error(403, "没有权限", "您的角色不能访问这个页面。如需使用，请联系中心管理员。")


def _not_found(_e):
    return _error(404, "页面不存在", "您要找的页面不存在或已被移除。")


def _not_allowed(_e):
    return _error(405, "操作方式不正确", "请从页面上的按钮操作。")


def _conflict(e):
    return _error(409, "操作未完成", getattr(e, "description", "") or "这项操作与刚才的操作冲突，请刷新页面后再试。")


def _too_large(_e):
    return _error(413, "文件太大", "上传的文件超过了大小限制，请压缩后再试。")


def _csrf_error(e):
    _audit_refusal("access.csrf_failed", e.description)
    return _error(400, "页面已过期", "页面的安全校验已失效，请刷新页面后重新操作。")


def _server_error(e):
    error_id = secrets.token_hex(4).upper()
    current_app.logger.error("error %s on %s %s", error_id, request.method, request.path,
                             exc_info=getattr(e, "original_exception", e))
    return _error(500, "系统出错", "系统出现了错误，请稍后再试。如果问题反复出现，请把错误编号告诉信息科。",
                  error_id=error_id)
