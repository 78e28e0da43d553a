"""The scorecard's cells as HTML: a rate with its n, "too few cases", working days, a rank.

Written in Python rather than as template macros because a table has a hundred of them: each
sentence is translated once per request (``_text``), not once per cell.
"""

from flask_babel import get_translations
from markupsafe import Markup

from planvoice.core.caching import once_per_request

# Pieces joined with ``+``, which escapes every str it adds (and costs less than ``%``).
_FEW = Markup('<span class="too-few">')
_META = Markup(' <span class="meta">')
_STRONG, _STRONG_END = Markup("<strong>"), Markup("</strong>")
_END = Markup("</span>")


def _text(msgid: str, plural: str | None = None, n: int = 1) -> str:
    """The reader's translation of ``msgid`` (with ``plural``: the form for ``n``), looked up
    once per request. Extracted by babel through the ``_`` and ``ngettext`` calls below."""

    def translate() -> str:
        translations = get_translations()
        return translations.ngettext(msgid, plural, n) if plural else translations.gettext(msgid)

    return once_per_request("scorecard-text", (msgid, n if plural else None), translate)


def rate_cell(value: float | None, n: int) -> Markup:
    if value is None:
        return _FEW + _too_few() + _END + _META + f"({_cases(n)})" + _END
    share = _text("of %(n)d") % {"n": n}
    return _STRONG + f"{round(value * 100)}%" + _STRONG_END + _META + share + _END


def short_rate(value: float | None) -> str:
    """A rate in a narrow column: "83%", or "too few"."""
    return _text("too few") if value is None else f"{round(value * 100)}%"


def days_cell(median: float | None, p90: float | None, n: int) -> Markup:
    if median is None:
        return _FEW + _too_few() + _END
    sentence = _text("median %(median)s, 9 in 10 within %(p90)s working days") % {
        "median": f"{median:g}",
        "p90": f"{p90:g}",
    }
    return Markup() + sentence + _META + f"({_cases(n)})" + _END


def rank_text(row: dict) -> str:
    if not row.get("rank"):
        return ""
    text = _text("rank %(rank)d") % {"rank": row["rank"]}
    moved = (row.get("change") or {}).get("rank")
    if moved:
        step = _text("up %(n)d") if moved > 0 else _text("down %(n)d")
        text += " · " + step % {"n": abs(moved)}
    return text


def _too_few() -> str:
    return _text("too few cases")


def _cases(n: int) -> str:
    return _text("%(num)d case", "%(num)d cases", n) % {"num": n}


# The sentences above, for babel's extraction (never called).
def _extracted_sentences():  # pragma: no cover
    from planvoice.core.i18n import _, ngettext

    return (
        _("of %(n)d"),
        _("median %(median)s, 9 in 10 within %(p90)s working days"),
        _("rank %(rank)d"),
        _("up %(n)d"),
        _("down %(n)d"),
        _("too few cases"),
        _("too few"),
        ngettext("%(num)d case", "%(num)d cases", 1),
    )
