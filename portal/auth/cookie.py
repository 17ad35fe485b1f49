"""The session cookie: Flask's signed cookie, with its signer built once per key set."""
from flask.sessions import SecureCookieSessionInterface


class CookieSessions(SecureCookieSessionInterface):
    """Flask's cookie sessions without rebuilding the serializer on every request."""

    _cached = (None, None)

    def get_signing_serializer(self, app):
        """Return the serializer for the app's current keys (rebuilt only when they change)."""
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        cached_keys, serializer = self._cached
        if cached_keys != keys:
            serializer = super().get_signing_serializer(app)
            self._cached = (keys, serializer)
        return serializer

    def save_session(self, app, session, response):
        """Write the cookie; an empty session never set in this request costs nothing."""
        if not session and not session.modified:
            if session.accessed:
                response.vary.add("Cookie")
            return
        super().save_session(app, session, response)
