"""Micro-caching of public pages.

A page that every anonymous reader sees the same way (a measure, a section, the plan) is
rendered once per URL, language and display mode, then served from the cache for
``CACHE_DEFAULT_TIMEOUT`` seconds (30 by default). Plan content changes only when an
administrator imports a new version, so a reader may see the previous text for at most that
long. Visitors who carry a session cookie (signed in, or holding a form's CSRF token) always
get a freshly rendered page, so nothing personal is ever cached or shared.
"""

from flask import Flask, current_app, g, request
from flask_babel import get_locale

from planvoice.core.extensions import cache

# Preference parameters are part of the key through the locale and display mode they select.
_PREFERENCE_ARGS = frozenset({"lang", "elder"})


def _page_key(*args, **kwargs) -> str:
    query = sorted((k, v) for k, v in request.args.items(multi=True) if k not in _PREFERENCE_ARGS)
    return f"page:{request.path}?{query}|{get_locale()}|{g.get('elder_mode', False)}"


def _has_session() -> bool:
    return current_app.config["SESSION_COOKIE_NAME"] in request.cookies


def _is_success(response) -> bool:
    # Flask-Caching would also keep an abort(404); a missing page must not linger once created.
    return getattr(response, "status_code", 200) == 200


def cached_page(view):
    """Serve ``view`` from the page cache to visitors without a session."""
    decorate = cache.cached(
        make_cache_key=_page_key, unless=_has_session, response_filter=_is_success
    )
    return decorate(view)


def init_app(app: Flask) -> None:
    cache.init_app(app)

    @app.after_request
    def vary_pages(response):
        # Pages differ by language (Accept-Language or cookie) and display mode (cookie).
        if response.mimetype == "text/html":
            response.vary.update(("Accept-Language", "Cookie"))
        return response
