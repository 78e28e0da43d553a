"""Absolute links for messages: the site's address as residents reach it (``PUBLIC_URL``),
never the request's Host header, which a client can forge to receive someone else's links."""

from flask import current_app


def public_url(path: str = "") -> str:
    """``path`` (starting with "/") on the public site, e.g. ``public_url("/me/following")``."""
    return current_app.config["PUBLIC_URL"].rstrip("/") + path
