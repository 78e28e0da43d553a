"""Security headers for every response: a strict Content Security Policy and friends.

No inline script or style is allowed anywhere, so templates use classes and static files only.
In production, browsers are told to use HTTPS only (HSTS). Pages with personal data (staff
queues, a person's own pages, every download) are never stored by a browser or a proxy:
``no-store`` is added here by path and for attachments, and a view whose page is private for
only some readers calls ``mark_private()``.
"""

import re
from urllib.parse import urlsplit

from flask import Flask, abort, g, request, url_for
from flask.sessions import SecureCookieSessionInterface

from planvoice.config import PRODUCTION

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


# A year, the usual minimum for HSTS; sub-domains included (none serves plain HTTP).
STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains"

# Paths whose every page shows personal data or staff work: never stored anywhere.
PRIVATE_PREFIXES = ("/moderation", "/bureau", "/admin", "/me")


def mark_private() -> None:
    """Keep this request's response out of every cache (``Cache-Control: no-store``): for a
    page that shows personal data to some readers only, such as a case page for staff."""
    g.private_response = True


def _is_private(response) -> bool:
    path = request.path
    return (
        g.get("private_response", False)
        or any(path == prefix or path.startswith(prefix + "/") for prefix in PRIVATE_PREFIXES)
        or response.headers.get("Content-Disposition", "").lower().startswith("attachment")
    )


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
    production = app.config["PLANVOICE_ENV"] == PRODUCTION

    @app.after_request
    def add_security_headers(response):
        # One pass over the headers already set (a view may set its own policy), not one each.
        present = {name.lower() for name in response.headers.keys()}
        for name, value in SECURITY_HEADERS.items():
            if name.lower() not in present:
                response.headers.add(name, value)
        if production:
            response.headers["Strict-Transport-Security"] = STRICT_TRANSPORT_SECURITY
        if _is_private(response):
            # Replaces any caching a view or the page cache set: personal data is never kept.
            response.headers["Cache-Control"] = "no-store"
            response.headers.pop("Expires", None)
        return response


def safe_next(target: str | None) -> str:
    """Only a clean path on this site, else the home page (no open redirects).

    Browsers drop tabs and line breaks from a URL and read a backslash as a slash, so
    ``/<tab>/evil.test`` would become ``//evil.test``: any control character, space or backslash
    is refused outright, as is a path that starts with ``//`` or names a scheme or host.
    """
    if (
        not target
        or not target.startswith("/")
        or target.startswith("//")
        or "\\" in target
        or _UNSAFE_IN_NEXT.search(target)
    ):
        return url_for("plans.show_home")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return url_for("plans.show_home")
    return target


# Whitespace and control characters (C0, DEL, C1 and Unicode's own spaces and line breaks).
_UNSAFE_IN_NEXT = re.compile(r"[\s\x00-\x1f\x7f-\x9f]")
