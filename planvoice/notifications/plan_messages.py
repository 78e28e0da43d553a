"""What the e-mails about a measure of the plan say: a bureau's public answer on it, and new
progress on one of its targets (call each inside ``force_locale``)."""

from flask_babel import format_date, format_decimal

from planvoice.core.i18n import _

ANSWER_CHARS = 600


def measure_answer_message(measure, answer, *, link: str, stop_link: str):
    """Subject, text and digest line of a bureau's answer on ``measure``."""
    bureau = answer.bureau.display_name
    title = _short(measure.title, 60)
    subject = _("%(bureau)s answered on “%(measure)s”", bureau=bureau, measure=title)
    line = _(
        "%(bureau)s answered in public on the measure “%(measure)s”.", bureau=bureau, measure=title
    )
    body = _paragraphs(
        [_("Hello,")],
        [line],
        [_("The answer:"), _short(answer.body.strip(), ANSWER_CHARS)],
        [_("Read it on the measure's page:"), link],
        [_why(), stop_link],
    )
    return subject, body, line


def progress_message(target, entry, *, link: str, stop_link: str):
    """Subject, text and digest line of new progress on ``target``."""
    value = format_decimal(entry.value.normalize())
    subject = _("New progress on “%(target)s”", target=_short(target.subject or target.text, 60))
    line = _(
        "Progress on “%(target)s” (measure “%(measure)s”): %(value)s %(unit)s on %(date)s.",
        target=_short(target.subject or target.text, 60),
        measure=_short(target.measure.title, 60),
        value=value,
        unit=target.unit,
        date=format_date(entry.on, "medium"),
    )
    paragraphs = [[_("Hello,")], [line]]
    if entry.note:
        paragraphs.append([_("Note:"), _short(entry.note.strip(), ANSWER_CHARS)])
    paragraphs += [[_("See the target and its history here:"), link], [_why(), stop_link]]
    return subject, _paragraphs(*paragraphs), line


def _why() -> str:
    return _(
        "You receive this because you commented on, rated or follow this measure."
        " To stop news of it, open:"
    )


def _paragraphs(*paragraphs) -> str:
    closing = [_("PlanVoice"), _("This e-mail was sent automatically; replies are not read.")]
    return "\n\n".join("\n".join(lines) for lines in (*paragraphs, closing))


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
