"""Language and display preferences.

The interface language comes from ``?lang=`` (then remembered in a cookie), else the cookie,
else the browser's Accept-Language, else Simplified Chinese. "Elder mode" (适老化: larger
text, higher contrast) is chosen the same way with ``?elder=on|off``. Both work without
JavaScript because they are plain links.
"""

from datetime import UTC, datetime
from functools import lru_cache
from urllib.parse import urlencode

from babel import Locale
from babel.dates import get_date_format, get_datetime_format, get_time_format, parse_pattern
from flask import Flask, current_app, g, has_request_context, request
from flask_babel import (
    format_datetime,
    get_locale,
    get_timezone,
    get_translations,
    gettext,
    lazy_gettext,
    ngettext,
)
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

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
    header = request.headers.get("Accept-Language", "")
    return _browser_language(header, tuple(languages), current_app.config["BABEL_DEFAULT_LOCALE"])


@lru_cache(maxsize=16)
def _parsed_locale(identifier: str) -> Locale:
    return Locale.parse(identifier)


@lru_cache(maxsize=256)
def _browser_language(header: str, languages: tuple, default: str) -> str:
    # Kept per header: browsers send a handful of distinct ones, and parsing is most of the
    # cost of choosing a language for a cached page.
    tags = {tag: lang for lang in languages for tag in _BROWSER_TAGS.get(lang, (lang,))}
    best = LanguageAccept(parse_accept_header(header)).best_match(tags) if header else None
    return tags[best] if best else default


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


# The fields of CLDR's short date and time patterns, as numbers (and the day period) to write.
_SHORT_FIELDS = {
    "y": lambda t, periods: str(t.year),
    "yy": lambda t, periods: f"{t.year % 100:02d}",
    "M": lambda t, periods: str(t.month),
    "MM": lambda t, periods: f"{t.month:02d}",
    "d": lambda t, periods: str(t.day),
    "dd": lambda t, periods: f"{t.day:02d}",
    "H": lambda t, periods: str(t.hour),
    "HH": lambda t, periods: f"{t.hour:02d}",
    "h": lambda t, periods: str(t.hour % 12 or 12),
    "hh": lambda t, periods: f"{t.hour % 12 or 12:02d}",
    "mm": lambda t, periods: f"{t.minute:02d}",
    "a": lambda t, periods: periods[t.hour >= 12],
}


@lru_cache(maxsize=8)
def _short_datetime_writer(locale: Locale):
    """A function writing a local time in ``locale``'s short date-time pattern, or None when
    the pattern uses a field not in ``_SHORT_FIELDS`` (Babel then writes it)."""
    date, time = get_date_format("short", locale), get_time_format("short", locale)
    both = get_datetime_format("short", locale).replace("{1}", date.pattern)
    pattern = parse_pattern(both.replace("{0}", time.pattern))
    fields = [name for name in _SHORT_FIELDS if f"%({name})s" in pattern.format]
    if "%(" in pattern.format % {name: "" for name in fields}:
        return None
    day_periods = locale.day_periods["format"]["abbreviated"]
    periods = (day_periods["am"], day_periods["pm"])
    writers = {name: _SHORT_FIELDS[name] for name in fields}
    return lambda t: pattern.format % {name: w(t, periods) for name, w in writers.items()}


def format_short_datetime(value: datetime) -> str:
    """``value`` in the reader's time zone and CLDR's short date-time pattern of their language,
    as Babel writes it ("2026/3/4 23:07", "3/4/26, 11:07 PM"), in a fraction of Babel's time:
    list pages write dozens of these."""
    writer = _short_datetime_writer(get_locale())
    if writer is None:
        return format_datetime(value, "short")
    return writer((value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(get_timezone()))


def datetime_filter(value: datetime | None, format: str = "medium") -> str:
    """The templates' ``datetimeformat``: Flask-Babel's, with a fast path for "short"."""
    if value is None:
        return ""
    return format_short_datetime(value) if format == "short" else format_datetime(value, format)


_TRANSLATIONS_KEY = "planvoice.translations"
_PHRASES_KEY = "planvoice.phrases"


def reader_translations():
    """The catalog of the language being written, found once per request and language.

    Flask-Babel looks it up again on every call (about 9 µs: the locale, its identifier, the
    domain), and a list page translates a sentence per row. Keyed by the Locale object, so a
    ``force_locale`` block (an e-mail in its recipient's language) still gets its own."""
    if not has_request_context():
        return get_translations()
    # Flask-Babel keeps the locale it chose (or a force_locale block set) on ``g``; reading it
    # there is one lookup instead of get_locale's four. Chosen on first use, as before.
    locale = getattr(g.get("_flask_babel"), "babel_locale", None) or get_locale()
    kept = request.environ.get(_TRANSLATIONS_KEY)
    if kept is None or kept[0] is not locale:
        kept = (locale, get_translations())
        request.environ[_TRANSLATIONS_KEY] = kept
    return kept[1]


def translated_once(msgid: str, plural: str | None = None, n: int = 1) -> str:
    """The reader's translation of ``msgid`` (with ``plural``: the form for ``n``), looked up
    once per request: for a sentence that a table or a list writes on every row. Mark the
    msgid for extraction with ``_``/``ngettext`` where it is defined."""
    return phrasebook()(msgid, plural, n)


def phrasebook():
    """``translated_once`` bound to the catalog being written now, for a loop that writes the
    same few sentences on every row: the catalog is then found once, not once per sentence."""
    translations = reader_translations()
    # One dict per catalog and request (outside one, for this call only): an e-mail written
    # in its recipient's language within the request (``force_locale``) has its own.
    phrases = request.environ.setdefault(_PHRASES_KEY, {}) if has_request_context() else {}
    kept = phrases.setdefault(id(translations), {})

    def text(msgid: str, plural: str | None = None, n: int = 1) -> str:
        key = (msgid, plural and n)
        if key not in kept:
            kept[key] = (
                translations.ungettext(msgid, plural, n) if plural else translations.ugettext(msgid)
            )
        return kept[key]

    return text


def _install_template_gettext(app: Flask) -> None:
    """The templates' ``_``, ``gettext``, ``ngettext`` and ``{% trans %}`` through
    ``reader_translations``, as Flask-Babel installs them otherwise."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: reader_translations().ugettext(s),
        ngettext=lambda s, p, n: reader_translations().ungettext(s, p, n),
        pgettext=lambda c, s: reader_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: reader_translations().unpgettext(c, s, p, n),
        newstyle=True,
    )


def init_app(app: Flask) -> None:
    # Flask-Babel takes a Locale as it is: parsing the identifier again on every request was
    # a good part of serving a cached page.
    babel.init_app(app, locale_selector=lambda: _parsed_locale(select_locale()))
    _install_template_gettext(app)
    app.jinja_env.filters["datetimeformat"] = datetime_filter

    @app.before_request
    def read_display_preferences():
        g.elder_mode = _elder_mode()

    @app.after_request
    def remember_preferences(response):
        # Sent over HTTPS only wherever the session cookie is (production).
        options = {
            "max_age": app.config["PREFERENCE_COOKIE_MAX_AGE"],
            "samesite": "Lax",
            "secure": app.config["SESSION_COOKIE_SECURE"],
        }
        lang = request.args.get("lang")
        if lang in app.config["LANGUAGES"] and request.cookies.get(LANG_COOKIE) != lang:
            response.set_cookie(LANG_COOKIE, lang, **options)
        elder = request.args.get("elder")
        if elder in ("on", "off") and request.cookies.get(ELDER_COOKIE) != elder:
            response.set_cookie(ELDER_COOKIE, elder, **options)
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
