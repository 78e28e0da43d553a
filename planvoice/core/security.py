"""Security headers for every response: a strict Content Security Policy and friends.

No inline script or style is allowed anywhere, so templates use classes and static files only.
"""

from flask import Flask, abort, request
from flask.sessions import SecureCookieSessionInterface

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    )
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(self)",
}


def refuse_nul_bytes() -> None:
    """A NUL byte has no place in a URL, and PostgreSQL refuses to compare text holding one:
    answer 400 rather than fail on the first lookup."""
    if "\x00" in request.path or b"%00" in request.query_string:
        abort(400)


class SessionCookies(SecureCookieSessionInterface):
    """Flask's signed session cookies, with the signing serializer made once per secret key
    rather than twice per request (making one runs a trial serialisation: a measurable part
    of serving a cached page)."""

    _made: tuple | None = None

    def get_signing_serializer(self, app: Flask):
        keys = (app.secret_key, tuple(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        made = self._made
        if made is None or made[0] != keys:
            made = self._made = (keys, super().get_signing_serializer(app))
        return made[1]


def init_app(app: Flask) -> None:
    app.session_interface = SessionCookies()
    app.before_request(refuse_nul_bytes)

    @app.after_request
    def add_security_headers(response):
        # One pass over the headers already set (a view may set its own policy), not one each.
        present = {name.lower() for name in response.headers.keys()}
        for name, value in SECURITY_HEADERS.items():
            if name.lower() not in present:
                response.headers.add(name, value)
        return response
