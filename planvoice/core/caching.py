"""Micro-caching of public pages.

A page that every anonymous reader sees the same way (a measure, a section, the plan) is
rendered once per URL, language and display mode, then served from the cache for
``CACHE_DEFAULT_TIMEOUT`` seconds (30 by default). Plan content changes only when an
administrator imports a new version, so a reader may see the previous text for at most that
long. Signed-in people, and guests who have commented, rated or flagged (their page shows
their own contributions), always get a freshly rendered page: nothing personal is cached.

Forms on cached pages stay valid: ``csrf_token()`` and ``form_token()`` render placeholders
while a page is rendered for the cache, and every response gets its own values in their place.

Dropping a page works the same on every Flask-Caching backend, also one that several app
processes share (``RedisCache``): each path has a generation (a random token) in the cache,
every copy of the page is stored with the generation read before it was rendered, and
``forget_page`` gives the path a new one once the request has committed. A copy of another
generation (any language, display mode or query string) is never served, and a reader who
rendered from the database just before the commit cannot put back a stale copy.
"""

import re
import secrets
from functools import wraps

from flask import Flask, current_app, g, has_request_context, request, session
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from planvoice.core.extensions import cache
from planvoice.core.identity import GUEST_KEY

# Preference parameters are part of the key through the locale and display mode they select.
_PREFERENCE_ARGS = frozenset({"lang", "elder"})
_CSRF_PLACEHOLDER = "@@csrf-token@@"  # noqa: S105 -- a marker, not a secret
_FORM_TOKEN_PLACEHOLDER = "@@form-token@@"  # noqa: S105
_PLACEHOLDERS_RE = re.compile(
    f"({re.escape(_CSRF_PLACEHOLDER)}|{re.escape(_FORM_TOKEN_PLACEHOLDER)})"
)


def _page_key() -> str:
    query = sorted((k, v) for k, v in request.args.items(multi=True) if k not in _PREFERENCE_ARGS)
    return f"page:{request.path}?{query}|{get_locale()}|{g.get('elder_mode', False)}"


def _generation_key(path: str) -> str:
    return f"page-generation:{path}"


def _current_generation(path: str) -> str:
    """The path's generation, created if the cache has none (first read, expired, evicted).

    A new generation is random, so one that expired costs a render, never a stale page."""
    key = _generation_key(path)
    # ``add`` keeps a generation another process set first; read back whichever won.
    cache.add(key, secrets.token_hex(8), timeout=_generation_timeout())
    return cache.get(key)


def _generation_timeout() -> int:
    # Outlives the copies it tags, yet expires: every page read anonymously has one.
    return 2 * current_app.config.get("CACHE_DEFAULT_TIMEOUT", 300)


def is_personal_request() -> bool:
    """Does this visitor see a page of their own (signed in, or a guest with contributions)?"""
    # Without a session cookie nobody is signed in and nothing is theirs: answered without
    # loading the session or the user, the commonest case of a cached page.
    if current_app.config["SESSION_COOKIE_NAME"] not in request.cookies:
        return False
    # A flash message waiting to be shown is personal too.
    return current_user.is_authenticated or GUEST_KEY in session or "_flashes" in session


def csrf_token() -> str:
    return _CSRF_PLACEHOLDER if g.get("rendering_for_cache") else generate_csrf()


def form_token() -> str:
    """A fresh one-time token for a form, so that a resubmitted form creates nothing twice."""
    return _FORM_TOKEN_PLACEHOLDER if g.get("rendering_for_cache") else secrets.token_urlsafe(24)


def _split_at_placeholders(page: str) -> tuple[str, ...]:
    """The page cut around its placeholders (the text, then a placeholder, then text…), once
    when it is kept, so that serving a copy joins strings instead of searching the page."""
    return tuple(_PLACEHOLDERS_RE.split(page))


def _fill_placeholders(parts: tuple[str, ...]) -> str:
    csrf = generate_csrf() if _CSRF_PLACEHOLDER in parts else None
    # Odd parts are placeholders: each form token is new, the CSRF token is the session's.
    return "".join(
        part if i % 2 == 0 else csrf if part == _CSRF_PLACEHOLDER else secrets.token_urlsafe(24)
        for i, part in enumerate(parts)
    )


def cached_page(view):
    """Serve ``view`` from the page cache to visitors without a page of their own.

    Only successful renders (strings) are kept; an ``abort(404)`` raises through and is
    rendered afresh every time.
    """

    @wraps(view)
    def serve(*args, **kwargs):
        if is_personal_request():
            return view(*args, **kwargs)
        key = _page_key()
        # One round trip on a hit: the page's generation and the copy kept, with its own.
        generation, kept = cache.get_many(_generation_key(request.path), key)
        # (A copy kept by an older release, as one string, is rendered again.)
        fresh = generation is not None and isinstance(kept, tuple) and kept[0] == generation
        if fresh and isinstance(kept[1], tuple):
            return _fill_placeholders(kept[1])
        if generation is None:
            generation = _current_generation(request.path)
        g.rendering_for_cache = True
        try:
            page = view(*args, **kwargs)
        finally:
            g.rendering_for_cache = False
        if not isinstance(page, str):  # e.g. a redirect: nothing to keep
            return page
        parts = _split_at_placeholders(page)
        cache.set(key, (generation, parts))
        return _fill_placeholders(parts)

    return serve


def once_per_request(namespace: str, key, compute):
    """``compute()``, kept for the rest of the request under (``namespace``, ``key``): for a
    read that several parts of one page ask for. Outside a request (a command, a test that
    calls functions directly) it is computed every time, so nothing goes stale."""
    if not has_request_context():
        return compute()
    # Kept in the WSGI environ, which each request has its own of (``g`` lives as long as the
    # app context, which a test may keep open over several requests).
    kept = request.environ.setdefault("planvoice.once_per_request", {})
    if (namespace, key) not in kept:
        kept[namespace, key] = compute()
    return kept[namespace, key]


def forget_page(path: str) -> None:
    """Drop the cached copies of a page (every language, display mode and query string), e.g.
    after a moderator published or hid a comment on it.

    In a request, the page is dropped when the request ends, after its commit: a reader
    rendering the page meanwhile would otherwise store what the database held before."""
    if has_request_context():
        g.setdefault("pages_to_forget", set()).add(path)
    else:
        _new_generation(path)


def _new_generation(path: str) -> None:
    cache.set(_generation_key(path), secrets.token_hex(8), timeout=_generation_timeout())


def init_app(app: Flask) -> None:
    cache.init_app(app)
    app.jinja_env.globals.update(csrf_token=csrf_token, form_token=form_token)

    @app.teardown_request
    def forget_pages(_error):
        # Teardown runs after every after_request function, the commit included. The change is
        # committed by now: a cache that fails here must not turn its answer into an error
        # (the copies then expire on their own, within CACHE_DEFAULT_TIMEOUT).
        for path in g.pop("pages_to_forget", ()):
            try:
                _new_generation(path)
            except Exception:
                app.logger.exception("could not drop the cached copies of %s", path)

    @app.after_request
    def vary_pages(response):
        # Pages differ by language (Accept-Language or cookie), display mode and session.
        if response.mimetype == "text/html":
            response.vary.update(("Accept-Language", "Cookie"))
        return response
