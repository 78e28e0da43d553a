"""What the e-mails about a report say: the plain text stored in the outbox, written in the
recipient's language, and the HTML alternative made from that text when it is sent."""

import re
from email.headerregistry import Address
from email.utils import parseaddr

from flask import current_app
from flask_babel import format_datetime
from jinja2 import Environment, PackageLoader, select_autoescape

from planvoice.bureaus.queries import working_rules
from planvoice.bureaus.time_limits import due_times
from planvoice.core.i18n import _, _l, ngettext
from planvoice.core.links import public_url
from planvoice.reports.answers import SATISFACTION_LINK_MAX_AGE, satisfaction_token
from planvoice.reports.models import EVENT_LABELS, SATISFACTION_LABELS, STATUS_LABELS

DESCRIPTION_CHARS = 80

# What happened, in one sentence, by step and by whose report it is to the reader.
_YOURS = {
    "published": _l("Your report %(code)s has been checked and is now public."),
    "rejected": _l("Your report %(code)s was not published."),
    "routed": _l("Your report %(code)s has been sent to %(bureau)s, which will handle it."),
    "accepted": _l("%(bureau)s has accepted your report %(code)s and will work on it."),
    "in_progress": _l("%(bureau)s has started work on your report %(code)s."),
    "resolved": _l("%(bureau)s says the problem in your report %(code)s is resolved."),
    "replied": _l("%(bureau)s has replied in public to your report %(code)s."),
    "duplicate": _l(
        "Your report %(code)s is the same problem as report %(original)s and is followed there."
    ),
}
_SUPPORTED = {
    "routed": _l("The report %(code)s that you support has been sent to %(bureau)s."),
    "accepted": _l("%(bureau)s has accepted the report %(code)s that you support."),
    "in_progress": _l("%(bureau)s has started work on the report %(code)s that you support."),
    "resolved": _l("%(bureau)s says the report %(code)s that you support is resolved."),
    "replied": _l("%(bureau)s has replied in public to the report %(code)s that you support."),
    "reopened": _l("The report %(code)s that you support has been reopened."),
    "duplicate": _l(
        "The report %(code)s that you support is the same problem as report %(original)s."
    ),
}
_FOLLOWED = {
    "routed": _l("The report %(code)s that you follow has been sent to %(bureau)s."),
    "accepted": _l("%(bureau)s has accepted the report %(code)s that you follow."),
    "in_progress": _l("%(bureau)s has started work on the report %(code)s that you follow."),
    "resolved": _l("%(bureau)s says the report %(code)s that you follow is resolved."),
    "replied": _l("%(bureau)s has replied in public to the report %(code)s that you follow."),
    "reopened": _l("The report %(code)s that you follow has been reopened."),
    "duplicate": _l(
        "The report %(code)s that you follow is the same problem as report %(original)s."
    ),
}
# Reports in a street, community or place that the reader follows.
_NEARBY = {
    "published": _l("A new report near a place you follow: %(code)s."),
    "resolved": _l("%(bureau)s says the report %(code)s near a place you follow is resolved."),
}
_STAFF = {
    "routed": _l("Report %(code)s has been sent to %(bureau)s to be handled."),
    "reopened": _l("Report %(code)s has come back to %(bureau)s: the fix was not accepted."),
    "returned": _l("%(bureau)s has returned report %(code)s; it needs to be routed again."),
}
_NOTE_LABELS = {
    "rejected": _l("Reason:"),
    "returned": _l("Reason:"),
    "routed": _l("Note from the community worker:"),
    "replied": _l("The bureau's reply:"),
    "in_progress": _l("What is being done:"),
    "resolved": _l("How it was resolved:"),
    "reopened": _l("The resident's comment:"),
}


# Why a resident receives news of a report, and how to stop it (the message's last lines).
_WHY = {
    "resident": _l("To stop e-mails about your reports, open:"),
    "supporter": _l(
        "You receive this because you support this report. To stop these e-mails, open:"
    ),
    "follower": _l("You receive this because you follow this report. To stop these e-mails, open:"),
    "nearby": _l(
        "You receive this because you follow this street, community or place."
        " To stop these e-mails, open:"
    ),
}


def report_message(report, event, *, audience: str, stop_link: str | None = None):
    """The subject and text of the e-mail telling ``audience`` ("resident", "supporter",
    "follower", "nearby", "bureau" or "moderator") of a step of ``report``; call inside
    ``force_locale``. ``stop_link``: where the reader stops such news in one click."""
    status = event.status
    base = public_url()
    link = f"{base}/reports/{report.code}"
    label = str(EVENT_LABELS.get(status) or STATUS_LABELS[status])
    subject = _("Report %(code)s: %(step)s", code=report.code, step=label)
    bureau = report.bureau or event.bureau
    params = {
        "code": report.code,
        "bureau": bureau.display_name if bureau is not None else _("the bureau"),
        "original": report.duplicate_of.code if report.duplicate_of is not None else "",
    }
    sentences = {
        "resident": _YOURS,
        "supporter": _SUPPORTED,
        "follower": _FOLLOWED,
        "nearby": _NEARBY,
    }.get(audience, _STAFF)
    happened = sentences.get(status)
    if happened is None:  # a step without its own sentence: say it by its label
        happened = _l("Report %(code)s has a new step: %(step)s.")
        params["step"] = label
    paragraphs = [[_greeting(report, audience, bureau)], [str(happened) % params]]
    paragraphs.append(_details(report))
    if event.note:
        note_label = str(_NOTE_LABELS.get(status, _l("Note:")))
        paragraphs.append([note_label, event.note.strip()])
    if status == "reopened":
        paragraphs.append(_why_reopened(report))
    if status == "routed" and audience in ("resident", "bureau") and report.routed_at:
        paragraphs.append(_due_times(report))
    if status == "resolved" and audience == "resident":
        paragraphs += _satisfaction_question(report, base)
    if status == "duplicate" and report.duplicate_of is not None:
        paragraphs.append([f"{base}/reports/{report.duplicate_of.code}"])
    if audience == "bureau":
        action = _("Open the case page to accept, reply and resolve it there:")
    elif audience == "moderator":
        action = _("Open the case page to route it again there:")
    else:
        action = _("Follow the report here:")
    paragraphs.append([action, link])
    if stop_link and audience in _WHY:
        paragraphs.append([str(_WHY[audience]), stop_link])
    paragraphs.append(
        [_("PlanVoice"), _("This e-mail was sent automatically; replies are not read.")]
    )
    return subject, "\n\n".join("\n".join(lines) for lines in paragraphs)


def news_line(body: str) -> str:
    """The step in one line, for a digest: the sentence of what happened, which is the
    second paragraph of every ``report_message`` (after the greeting)."""
    return body.split("\n\n")[1]


def _greeting(report, audience, bureau) -> str:
    if audience == "resident" and report.reporter_name:
        return _("Dear %(name)s,", name=report.reporter_name)
    if audience == "bureau" and bureau is not None:
        return _("Dear colleagues of %(bureau)s,", bureau=bureau.display_name)
    if audience == "moderator":
        return _("Dear community workers,")
    return _("Hello,")


def _details(report) -> list[str]:
    lines = [_("Category: %(category)s", category=report.category.name)]
    place = [p for p in (report.area and report.area.full_name, report.address) if p]
    if place:
        lines.append(_("Place: %(place)s", place=" · ".join(place)))
    first = next((line.strip() for line in report.description.splitlines() if line.strip()), "")
    if len(first) > DESCRIPTION_CHARS:
        first = first[: DESCRIPTION_CHARS - 1].rstrip() + "…"
    if first:
        lines.append(_("Description: %(text)s", text=first))
    return lines


def _why_reopened(report) -> list[str]:
    lines = []
    if report.satisfaction == "not_satisfied":
        lines.append(_("The resident is not satisfied with the fix."))
    if report.solved is False:
        lines.append(_("The resident says the problem is not solved."))
    return lines or [_("The resident did not accept the fix.")]


def _due_times(report) -> list[str]:
    limits, calendar = working_rules()
    due = due_times(report.routed_at, limits, calendar)
    # Flask-Babel writes them in the locale forced by the caller, in the district's time zone.
    return [
        _("Time limits, in working days from routing:"),
        _("Accept by %(when)s", when=format_datetime(due.accept_by, "short")),
        _("First public reply by %(when)s", when=format_datetime(due.reply_by, "short")),
        _("Resolve by %(when)s", when=format_datetime(due.resolve_by, "short")),
    ]


def _satisfaction_question(report, base) -> list[list[str]]:
    # Only the reporter receives this e-mail: the signed link lets them, and only them, answer.
    answer = f"{base}/reports/{report.code}/answer/{satisfaction_token(report)}"
    choices = [
        f"{SATISFACTION_LABELS[value]}: {answer}?satisfaction={value}"
        for value in ("satisfied", "basically_satisfied", "not_satisfied")
    ]
    days = SATISFACTION_LINK_MAX_AGE // 86400
    return [
        [_("Are you satisfied with how it was fixed? Answer with one click:"), *choices],
        [
            _("If the problem is not solved, the report goes back to the bureau."),
            ngettext(
                "These links are for you only and work for %(num)d day.",
                "These links are for you only and work for %(num)d days.",
                days,
            ),
        ],
    ]


# The HTML alternative, made from the stored text when the message is sent

_URL = re.compile(r"https?://[A-Za-z0-9\-._~:/?#\[\]@!$&()*+,;=%]+")
_html = Environment(
    loader=PackageLoader("planvoice.notifications"), autoescape=select_autoescape(["html"])
)


def password_reset_message(user, link: str) -> tuple[str, str]:
    """The subject and text of the e-mail with a reset link (call inside ``force_locale``)."""
    subject = _("Your new password for PlanVoice")
    greeting = _("Hello %(name)s,", name=user.display_name) if user.display_name else _("Hello,")
    body = "\n\n".join(
        (
            greeting,
            _("Someone (we hope you) asked for a new password for your PlanVoice account."),
            _("Open this link within an hour to choose it; it works once:") + "\n" + link,
            _("If you did not ask, ignore this e-mail: your password stays as it is."),
        )
    )
    return subject, body


def sender(language: str) -> Address | str:
    """``MAIL_FROM``'s address with the app's name in the recipient's language as its display
    name (call inside ``force_locale``); the setting as it is if it holds no plain address."""
    configured = current_app.config["MAIL_FROM"]
    address = parseaddr(configured)[1]
    if "@" not in address:
        return configured
    username, domain = address.rsplit("@", 1)
    return Address(display_name=_("PlanVoice"), username=username, domain=domain)


def html_of(body: str, *, subject: str, language: str) -> str:
    """The text as a simple HTML page: its paragraphs and lines kept, links made clickable,
    everything else escaped."""
    paragraphs = [
        [_pieces(line) for line in paragraph.split("\n")] for paragraph in body.split("\n\n")
    ]
    template = _html.get_template("notifications/email.html")
    return template.render(lang=language.replace("_", "-"), subject=subject, paragraphs=paragraphs)


def _pieces(line: str) -> list[tuple[str, str | None]]:
    pieces, start = [], 0
    for match in _URL.finditer(line):
        url = match[0].rstrip(".,;:!?)]")
        pieces.append((line[start : match.start()], None))
        pieces.append((url, url))
        start = match.start() + len(url)
    pieces.append((line[start:], None))
    return [piece for piece in pieces if piece[0]]
