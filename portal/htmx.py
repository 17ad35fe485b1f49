"""The one place that decides between a whole page and an htmx fragment."""
from urllib.parse import urlsplit

from flask import make_response, redirect, render_template, request


def is_htmx() -> bool:
    """Say whether the request came from htmx."""
    return request.headers.get("HX-Request") == "true"


def wants_fragment() -> bool:
    """Say whether to answer with a fragment: an htmx swap, not a boosted page or history restore."""
    h = request.headers
    return (h.get("HX-Request") == "true" and h.get("HX-Boosted") != "true"
            and "HX-History-Restore-Request" not in h)


def render(page: str, fragment: str, status: int = 200, page_context=None, **context):
    """Render the fragment for an htmx swap, the whole page otherwise.

    page_context, if given, is called only for the whole page: what the page shows around the fragment
    (a list below a form, say) is then not loaded for an htmx answer that does not show it.
    """
    if wants_fragment():
        template = fragment
    else:
        template = page
        context = {**(page_context() if page_context else {}), **context}
    response = make_response(render_template(template, **context), status)
    response.vary.add("HX-Request")
    return response


def hx_redirect(target: str, status: int = 200):
    """Send htmx to another page (a full navigation, not a swap)."""
    response = make_response("", status)
    response.headers["HX-Redirect"] = target
    return response


def trigger(response, event: str):
    """Ask htmx to fire an event on the page after the swap (e.g. to refresh counts)."""
    existing = response.headers.get("HX-Trigger")
    response.headers["HX-Trigger"] = f"{existing}, {event}" if existing else event
    return response


def go(url: str):
    """Send the person to another page: a full navigation for htmx, a 303 otherwise."""
    return hx_redirect(url) if is_htmx() else redirect(url, 303)


def local_path(target: str | None) -> str | None:
    """Return the target if it is a path on this site (never another host), None otherwise."""
    target = target or ""
    parts = urlsplit(target)
    # Browsers read "/\\host" like "//host": both name another site.
    if not target.startswith("/") or target[1:2] in ("/", "\\") or parts.netloc or parts.scheme:
        return None
    return target
