"""The scorecard's cells as HTML: a rate with its n, "too few cases", working days, a rank.

Written in Python rather than as template macros because a table has a hundred of them: each
sentence is translated once per request (``_text``), not once per cell.
"""

from flask import g
from flask_babel import get_translations
from markupsafe import Markup

# Markup's % escapes what it puts in.
_TOO_FEW = Markup('<span class="too-few">%s</span>')
_TOO_FEW_CASES = Markup('<span class="too-few">%s</span> <span class="meta">(%s)</span>')
_RATE = Markup('<strong>%d%%</strong> <span class="meta">%s</span>')
_DAYS = Markup('%s <span class="meta">(%s)</span>')


def _text(msgid: str, plural: str | None = None, n: int = 1) -> str:
    """The reader's translation of ``msgid`` (with ``plural``: the form for ``n``), looked up
    once per request. Extracted by babel through the ``_`` and ``ngettext`` calls below."""
    memo = g.setdefault("scorecard_texts", {})
    key = (msgid, n if plural else None)
    if key not in memo:
        translations = get_translations()
        memo[key] = (
            translations.ngettext(msgid, plural, n) if plural else translations.gettext(msgid)
        )
    return memo[key]


def rate_cell(value: float | None, n: int) -> Markup:
    if value is None:
        return _TOO_FEW_CASES % (_too_few(), _cases(n))
    return _RATE % (round(value * 100), _text("of %(n)d") % {"n": n})


def short_rate(value: float | None) -> str:
    """A rate in a narrow column: "83%", or "too few"."""
    return _text("too few") if value is None else f"{round(value * 100)}%"


def days_cell(median: float | None, p90: float | None, n: int) -> Markup:
    if median is None:
        return _TOO_FEW % _too_few()
    sentence = _text("median %(median)s, 9 in 10 within %(p90)s working days") % {
        "median": f"{median:g}",
        "p90": f"{p90:g}",
    }
    return _DAYS % (sentence, _cases(n))


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
