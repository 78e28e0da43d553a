"""Language and display preferences.

The interface language comes from ``?lang=`` (then remembered in a cookie), else the cookie,
else the browser's Accept-Language, else Simplified Chinese. "Elder mode" (适老化: larger
text, higher contrast) is chosen the same way with ``?elder=on|off``. Both work without
JavaScript because they are plain links.
"""

from urllib.parse import urlencode

from flask import Flask, current_app, g, has_request_context, request
from flask_babel import get_locale, gettext, lazy_gettext, ngettext

from planvoice.core.extensions import babel

_ = gettext
_l = lazy_gettext
__all__ = ["_", "_l", "ngettext", "html_lang", "init_app", "url_with"]

LANG_COOKIE = "lang"
ELDER_COOKIE = "elder"
# Accept-Language speaks BCP 47 tags; the catalogs are named with Babel identifiers.
_BROWSER_TAGS = {"zh_Hans": ("zh", "zh-CN", "zh-Hans", "zh-SG"), "en": ("en",)}


def select_locale() -> str:
    if not has_request_context():  # commands speak the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    languages = current_app.config["LANGUAGES"]
    # A part of the site with its own language parameter (Open311's ``locale``) sets this.
    for candidate in (
        g.get("locale_choice"),
        request.args.get("lang"),
        request.cookies.get(LANG_COOKIE),
    ):
        if candidate in languages:
            return candidate
    tags = {tag: lang for lang in languages for tag in _BROWSER_TAGS.get(lang, (lang,))}
    best = request.accept_languages.best_match(tags)
    return tags[best] if best else current_app.config["BABEL_DEFAULT_LOCALE"]


def html_lang() -> str:
    """The BCP 47 tag of the current interface language, for ``<html lang>``."""
    return str(get_locale()).replace("_", "-")


def url_with(**params: str) -> str:
    """The current page's URL with some query parameters set (for the preference links)."""
    args = request.args.to_dict()
    args.update(params)
    return f"{request.path}?{urlencode(args)}"


def _elder_mode() -> bool:
    choice = request.args.get("elder")
    if choice in ("on", "off"):
        return choice == "on"
    return request.cookies.get(ELDER_COOKIE) == "on"


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)

    @app.before_request
    def read_display_preferences():
        g.elder_mode = _elder_mode()

    @app.after_request
    def remember_preferences(response):
        max_age = app.config["PREFERENCE_COOKIE_MAX_AGE"]
        lang = request.args.get("lang")
        if lang in app.config["LANGUAGES"] and request.cookies.get(LANG_COOKIE) != lang:
            response.set_cookie(LANG_COOKIE, lang, max_age=max_age, samesite="Lax")
        elder = request.args.get("elder")
        if elder in ("on", "off") and request.cookies.get(ELDER_COOKIE) != elder:
            response.set_cookie(ELDER_COOKIE, elder, max_age=max_age, samesite="Lax")
        if lang or elder:
            response.vary.add("Cookie")
        return response

    @app.context_processor
    def display_context():
        return {
            "html_lang": html_lang(),
            "elder_mode": g.get("elder_mode", False),
            "url_with": url_with,
        }
