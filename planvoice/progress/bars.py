"""A target's bar and a measure's demand line as HTML, for every page that shows targets.

Written in Python rather than as template macros for the same reason as the scorecard's cells
(``performance/cells.py``): ``/progress`` shows one per target, and each sentence is then
translated once per request instead of once per bar. No JavaScript and no inline styles: a
``<meter>``, with the figures as text beside it.
"""

from markupsafe import Markup, escape

from planvoice.core.i18n import phrasebook, translated_once
from planvoice.progress.state import TargetProgress, plain_number


def target_bar(item: TargetProgress, labels: dict[str, str], id: str) -> Markup:
    """``latest/goal unit [state]``, the meter, and "as of DATE, by BUREAU" (``labels``: the
    states' names, ``id``: unique on the page, for the meter's label)."""
    return Markup(_bar_html(item, labels, id, translated_once, {}))  # noqa: S704 -- escaped


def progress_list(items, labels: dict[str, str], link: str, placeholder: str) -> Markup:
    """The ``<li>`` of a measure's targets on ``/progress``: each subject linking to its
    history (``link`` with the target's id where ``placeholder`` is) above its bar; the
    sentences and the bureaus' names are looked up once for the whole list."""
    text, names = phrasebook(), {}
    html = [
        f'<li><a class="subject" href="{escape(link.replace(placeholder, str(item.target.id)))}"'
        f' lang="zh-Hans">{escape(item.target.subject)}</a>'
        f"{_bar_html(item, labels, f'target-{item.target.id}', text, names)}</li>"
        for item in items
    ]
    return Markup("".join(html))  # noqa: S704 -- every value is escaped in _bar_html or here


def _bar_html(item: TargetProgress, labels, id: str, text, names: dict) -> str:
    latest = item.latest
    reached = plain_number(latest.value) if latest is not None else "–"
    unit = (
        f'&#8239;<span lang="zh-Hans">{escape(item.target.unit)}</span>' if item.shows_unit else ""
    )
    figures_id = escape(f"{id}-figures")
    # Plain strings with every value escaped, one Markup at the end: ``Markup.format`` and
    # ``+`` between Markups cost more than the rest of the bar together.
    return (
        f'<div class="target-progress state-{escape(item.state)}">'
        f'<p class="target-figures" id="{figures_id}">'
        f"<strong>{reached}/{plain_number(item.goal)}</strong>{unit}"
        f' <span class="state-label">{escape(labels[item.state])}</span></p>'
        f'<meter min="0" max="1" value="{item.fraction}" aria-labelledby="{figures_id}">'
        f"{item.step}%</meter>"
        f'<p class="meta">{escape(_as_of(item, text, names))}</p></div>'
    )


def _as_of(item: TargetProgress, text, names: dict) -> str:
    latest, owner = item.latest, item.owner

    def name(bureau) -> str:
        if bureau.id not in names:
            names[bureau.id] = bureau.display_name
        return names[bureau.id]

    if latest is not None:
        by = latest.bureau or owner
        date = latest.on.isoformat()
        if by is None:
            return text("as of %(date)s") % {"date": date}
        return text("as of %(date)s, by %(bureau)s") % {"date": date, "bureau": name(by)}
    if owner is not None:
        return text("No progress recorded yet by %(bureau)s") % {"bureau": name(owner)}
    return text("No progress recorded yet")


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
