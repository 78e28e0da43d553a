"""E-mail about a person's account: the link that confirms an address (on sign-up, or the new
one on a change in /me), and the notice to the old address that a change was asked."""

from flask_babel import force_locale

from planvoice.core import signals
from planvoice.core.i18n import _
from planvoice.core.links import public_url
from planvoice.notifications.addresses import restart
from planvoice.notifications.outbox import queue_message
from planvoice.notifications.unsubscribing import unsubscribe_url


def connect_receivers() -> None:
    """Connect this module's receivers to their signals (services.connect_receivers)."""
    signals.email_confirmation_requested.connect(send_email_confirmation)


def send_email_confirmation(user, *, address: str, link: str, language: str) -> None:
    """Queue the confirmation link to ``address`` only, in the language it was asked in; on a
    change, also a short notice (without the link) to the account's present address. No
    dedupe key: each request gets its own message (any unused link works)."""
    changing = bool(user.email) and address != user.email
    # The person asked for this link to this address themselves (with their password on a
    # change): an address that had stopped being used (failures, or a stop) is used again.
    restart(address)
    with force_locale(language):
        subject, body = confirmation_message(user, link, changing=changing)
    queue_message(
        recipient=address,
        subject=subject,
        body=body,
        language=language,
        unsubscribe_url=unsubscribe_url(address, "all"),
    )
    if changing:
        with force_locale(language):
            subject, body = change_notice_message(user, address)
        queue_message(
            recipient=user.email,
            subject=subject,
            body=body,
            language=language,
            unsubscribe_url=unsubscribe_url(user.email, "all"),
        )


def _greeting(user) -> str:
    return _("Hello %(name)s,", name=user.display_name) if user.display_name else _("Hello,")


def confirmation_message(user, link: str, *, changing: bool) -> tuple[str, str]:
    """The subject and text of the e-mail with a confirmation link (inside ``force_locale``)."""
    subject = _("Confirm your e-mail address for PlanVoice")
    if changing:
        why = _("You asked to use this address for your PlanVoice account instead of the old one.")
    else:
        why = _("Welcome to PlanVoice! Please confirm that this e-mail address is yours.")
    body = "\n\n".join(
        (
            _greeting(user),
            why,
            _("Open this link within three days to confirm it; it works once:") + "\n" + link,
            _("If you did not ask for this, ignore this e-mail: nothing changes."),
        )
    )
    return subject, body


def change_notice_message(user, new_address: str) -> tuple[str, str]:
    """The subject and text of the notice to the old address (inside ``force_locale``)."""
    base = public_url()
    subject = _("A change of your PlanVoice e-mail address was asked")
    body = "\n\n".join(
        (
            _greeting(user),
            _(
                "Someone signed in to your PlanVoice account asked to change its e-mail "
                "address to %(address)s. The address changes only when a link sent there "
                "is opened.",
                address=new_address,
            ),
            _("If it was not you, choose a new password now:") + "\n" + base + "/password/reset",
        )
    )
    return subject, body
