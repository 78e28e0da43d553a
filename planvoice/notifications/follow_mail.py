"""The e-mail that asks an address to confirm a follow (the double opt-in of
``following.services.follow``)."""

from flask_babel import force_locale

from planvoice.core import signals
from planvoice.core.i18n import _
from planvoice.following.services import subject_name
from planvoice.notifications.outbox import queue_message
from planvoice.notifications.unsubscribing import unsubscribe_url


def connect_receivers() -> None:
    """Connect this module's receivers to their signals (services.connect_receivers)."""
    signals.follow_confirmation_requested.connect(send_follow_confirmation)


def send_follow_confirmation(follow, *, link: str, language: str) -> None:
    """Queue the confirmation link to the follow's address, and only there, in the language
    it was asked in. No dedupe key: each request gets its own message (the link of any works).
    Nothing else about the subject is sent before the link is used."""
    with force_locale(language):
        subject, body = follow_confirmation_message(subject_name(follow), link)
    # Someone else may have typed the address: one click stops every e-mail to it.
    queue_message(
        recipient=follow.email,
        subject=subject,
        body=body,
        language=language,
        unsubscribe_url=unsubscribe_url(follow.email, "all"),
    )


def follow_confirmation_message(what: str, link: str) -> tuple[str, str]:
    """The subject and text of the confirmation e-mail (call inside ``force_locale``)."""
    # A measure's title could hold a line break, which no mail header may.
    subject = " ".join(_("Confirm that you want to follow %(subject)s", subject=what).split())
    body = "\n\n".join(
        (
            _("Hello,"),
            _(
                "Someone (we hope you) asked on PlanVoice to follow %(subject)s with this "
                "e-mail address.",
                subject=what,
            ),
            _(
                "Nothing is sent about it until you confirm. To confirm, open this link "
                "within a week:"
            )
            + "\n"
            + link,
            _("If you did not ask, ignore this e-mail: we send nothing more."),
            _("PlanVoice") + "\n" + _("This e-mail was sent automatically; replies are not read."),
        )
    )
    return subject, body
