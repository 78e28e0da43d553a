"""A target's bar and a measure's demand line as HTML, for every page that shows targets.

Written in Python rather than as template macros for the same reason as the scorecard's cells
(``performance/cells.py``): ``/progress`` shows one per target, and each sentence is then
translated once per request instead of once per bar. No JavaScript and no inline styles: a
``<meter>``, with the figures as text beside it.
"""

from markupsafe import Markup, escape

from planvoice.core.i18n import translated_once
from planvoice.progress.state import TargetProgress, plain_number


def target_bar(item: TargetProgress, labels: dict[str, str], id: str) -> Markup:
    """``latest/goal unit [state]``, the meter, and "as of DATE, by BUREAU" (``labels``: the
    states' names, ``id``: unique on the page, for the meter's label)."""
    latest = item.latest
    reached = plain_number(latest.value) if latest is not None else "–"
    unit = (
        f'&#8239;<span lang="zh-Hans">{escape(item.target.unit)}</span>' if item.shows_unit else ""
    )
    figures_id = escape(f"{id}-figures")
    # Plain strings with every value escaped, one Markup at the end: ``Markup.format`` and
    # ``+`` between Markups cost more than the rest of the bar together.
    html = (
        f'<div class="target-progress state-{escape(item.state)}">'
        f'<p class="target-figures" id="{figures_id}">'
        f"<strong>{reached}/{plain_number(item.goal)}</strong>{unit}"
        f' <span class="state-label">{escape(labels[item.state])}</span></p>'
        f'<meter min="0" max="1" value="{item.fraction}" aria-labelledby="{figures_id}">'
        f"{item.step}%</meter>"
        f'<p class="meta">{escape(_as_of(item))}</p></div>'
    )
    return Markup(html)  # noqa: S704 -- every value above is escaped or a number


def _as_of(item: TargetProgress) -> str:
    latest, owner = item.latest, item.owner
    if latest is not None:
        by = latest.bureau or owner
        date = latest.on.isoformat()
        if by is None:
            return translated_once("as of %(date)s") % {"date": date}
        return translated_once("as of %(date)s, by %(bureau)s") % {
            "date": date,
            "bureau": by.display_name,
        }
    if owner is not None:
        return translated_once("No progress recorded yet by %(bureau)s") % {
            "bureau": owner.display_name
        }
    return translated_once("No progress recorded yet")


def demand_line(demand) -> Markup:
    """ "12 resident reports · priority 4.1 of 5 (37 ratings)": what residents ask of a
    measure (``queries.Demand``)."""
    reports = translated_once(
        "%(count)s resident report", "%(count)s resident reports", demand.report_count
    ) % {"count": demand.report_count}
    if demand.rating_count:
        priority = translated_once(
            "priority %(mean)s of 5 (%(count)s rating)",
            "priority %(mean)s of 5 (%(count)s ratings)",
            demand.rating_count,
        ) % {"mean": f"{demand.rating_mean:.1f}", "count": demand.rating_count}
    else:
        priority = translated_once("not rated yet")
    return Markup(f'<p class="demand meta">{escape(reports)} · {escape(priority)}</p>')  # noqa: S704


# The sentences above, for babel's extraction (never called).
def _extracted_sentences():  # pragma: no cover
    from planvoice.core.i18n import _, ngettext

    return (
        _("as of %(date)s"),
        _("as of %(date)s, by %(bureau)s"),
        _("No progress recorded yet by %(bureau)s"),
        _("No progress recorded yet"),
        ngettext("%(count)s resident report", "%(count)s resident reports", 1),
        ngettext(
            "priority %(mean)s of 5 (%(count)s rating)",
            "priority %(mean)s of 5 (%(count)s ratings)",
            1,
        ),
        _("not rated yet"),
    )
