"""The parts of other domains' pages that notifications draws: the pace form on the page of
what a person follows (``following_page_opened``), and on /me the notice that an address
stopped being used (``me_page_opened``)."""

from planvoice.core import signals
from planvoice.notifications.forms import PaceForm
from planvoice.notifications.unsubscribing import pace_token


def connect_panels() -> None:
    signals.following_page_opened.connect(pace_panel)
    signals.me_page_opened.connect(stopped_panel)


def pace_panel(_app, *, user=None, email=None, **_kwargs) -> signals.Panel | None:
    """The person's two paces, to change: an account's, or an e-mail-only follower's (whose
    form carries a signed token of their address instead of a session)."""
    from planvoice.notifications.delivery import FOLLOWING, OWN, recipient

    if user is not None:
        own, following = user.pace_own, user.pace_following
        token = None
    elif email:
        own = recipient(email, kind=OWN).pace
        following = recipient(email, kind=FOLLOWING).pace
        token = pace_token(email)
    else:
        return None
    form = PaceForm(pace_own=own, pace_following=following, formdata=None)
    return signals.Panel("notifications/_pace.html", {"pace_form": form, "pace_token": token})


def stopped_panel(user, **_kwargs) -> signals.Panel | None:
    """Say which of the person's addresses we no longer write to, and why."""
    from planvoice.notifications.addresses import stopped_addresses_of

    stopped = stopped_addresses_of(user)
    if not stopped:
        return None
    return signals.Panel("notifications/_stopped.html", {"stopped": stopped})
