"""The scorecard's cells as HTML: a rate with its n, "too few cases", working days, a rank.

Written in Python rather than as template macros because a table has a hundred of them: each
sentence is translated once per request (``translated_once``), not once per cell.
"""

from urllib.parse import quote

from markupsafe import Markup, escape

from planvoice.core.i18n import phrasebook, translated_once

# Pieces joined with ``+``, which escapes every str it adds (and costs less than ``%``).
_FEW = Markup('<span class="too-few">')
_META = Markup(' <span class="meta">')
_STRONG, _STRONG_END = Markup("<strong>"), Markup("</strong>")
_END = Markup("</span>")


# Extracted by babel through the ``_`` and ``ngettext`` calls at the end.
_text = translated_once


def rate_cell(value: float | None, n: int) -> Markup:
    return Markup(_rate_html(value, n))  # noqa: S704 -- written by _rate_html, escaped there


def _rate_html(value: float | None, n: int, text=_text) -> str:
    if value is None:
        return (
            f'<span class="too-few">{escape(_too_few(text))}</span>'
            f' <span class="meta">({escape(_cases(n, text))})</span>'
        )
    share = text("of %(n)d") % {"n": n}
    return f'<strong>{round(value * 100)}%</strong> <span class="meta">{escape(share)}</span>'


def scorecard_rows(rows: list[dict], names: dict, link: str, placeholder: str, labels: dict):
    """The ``<tr>`` of the scorecard's table for ``rows``: the name (``names`` by code, else
    the row's) linking to its page (``link`` with ``placeholder`` where the code goes), its
    rank, cases, three rates with their n and the overdue count; ``labels``: the columns'
    headings, repeated for the stacked layout of narrow screens."""
    heading = {key: escape(label) for key, label in labels.items()}
    text = phrasebook()
    html = []
    for row in rows:
        n = row["n"]
        href = escape(link.replace(placeholder, quote(row["code"], safe="")))
        name = escape(names.get(row["code"], row["name"]))
        rank = (
            f' <span class="meta rank">{escape(rank_text(row, text))}</span>' if row["rank"] else ""
        )
        html.append(
            f'<tr><td><a href="{href}">{name}</a>{rank}</td>'
            f'<td data-label="{heading["cases"]}">{row["cases"]}</td>'
            f'<td data-label="{heading["response"]}">'
            f"{_rate_html(row['response_rate'], n['response'], text)}</td>"
            f'<td data-label="{heading["resolution"]}">'
            f"{_rate_html(row['on_time_resolution_rate'], n['resolution'], text)}</td>"
            f'<td data-label="{heading["satisfied"]}">'
            f"{_rate_html(row['satisfaction_rate'], n['answers'], text)}</td>"
            f'<td data-label="{heading["overdue"]}">{row["overdue_now"]}</td></tr>'
        )
    return Markup("".join(html))  # noqa: S704 -- every value above is escaped or a number


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


def rank_text(row: dict, text=_text) -> str:
    if not row.get("rank"):
        return ""
    written = text("rank %(rank)d") % {"rank": row["rank"]}
    moved = (row.get("change") or {}).get("rank")
    if moved:
        step = text("up %(n)d") if moved > 0 else text("down %(n)d")
        written += " · " + step % {"n": abs(moved)}
    return written


def _too_few(text=_text) -> str:
    return text("too few cases")


def _cases(n: int, text=_text) -> str:
    return text("%(num)d case", "%(num)d cases", n) % {"num": n}


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
