"""The session cookie: Flask's signed cookie, its signer built once per key set and each cookie checked once."""
import time

from flask.sessions import SecureCookieSessionInterface
from itsdangerous import BadSignature

OPENED_KEPT = 4096  # cookies a worker remembers having checked (a tablet's cookie changes a few times an hour)
SCALARS = (str, int, float, bool, type(None))


class CookieSessions(SecureCookieSessionInterface):
    """Flask's cookie sessions without rebuilding the serializer or re-checking a cookie on every request.

    A signed cookie always reads the same under the same keys, so what one said is kept by its exact
    text (signature included) with the moment it was signed: the next request with it pays a lookup,
    not two HMACs, a base64 and a JSON decoding. Its age is still checked on every request. Only
    sessions of plain values are kept (a request may change a list or dict in place).
    """

    _cached = (None, None)

    def __init__(self):
        self._opened: dict[str, tuple[dict, int]] = {}

    def get_signing_serializer(self, app):
        """Return the serializer for the app's current keys (rebuilt only when they change)."""
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        cached_keys, serializer = self._cached
        if cached_keys != keys:
            serializer = super().get_signing_serializer(app)
            self._cached = (keys, serializer)
            self._opened = {}
        return serializer

    def open_session(self, app, request):
        """Read the session from its cookie; a cookie checked before is not checked again."""
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        value = request.cookies.get(self.get_cookie_name(app)) if "HTTP_COOKIE" in request.environ else None
        if not value:
            return self.session_class()
        max_age = int(app.permanent_session_lifetime.total_seconds())
        known = self._opened.get(value)
        if known is not None:
            data, signed_at = known
            # What itsdangerous checks: neither older than max_age nor signed in the future.
            return self.session_class(data if 0 <= int(time.time()) - signed_at <= max_age else None)
        try:
            data, signed = serializer.loads(value, max_age=max_age, return_timestamp=True)
        except BadSignature:
            return self.session_class()
        if isinstance(data, dict) and all(isinstance(v, SCALARS) for v in data.values()):
            if len(self._opened) >= OPENED_KEPT:
                self._opened.pop(next(iter(self._opened), None), None)
            self._opened[value] = (data, int(signed.timestamp()))
        return self.session_class(data)

    def save_session(self, app, session, response):
        """Write the cookie; a session not changed in this request costs no more than its Vary header."""
        if not session.modified and not (session and self.should_set_cookie(app, session)):
            if session.accessed:
                _vary_on_cookie(response)
            return
        super().save_session(app, session, response)


def _vary_on_cookie(response) -> None:
    """Add Cookie to the Vary header as response.vary.add() would, without parsing it into a set."""
    vary = response.headers.get("Vary")
    if vary is None:
        response.headers["Vary"] = "Cookie"
    elif "cookie" not in (v.strip().lower() for v in vary.split(",")):
        response.headers["Vary"] = f"{vary}, Cookie"
