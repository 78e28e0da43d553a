"""Signals that tie domains together without imports in both directions.

One signal per kind of event. The person who took the step sends it, from the service of their
own domain, once the step is complete: the new state is flushed, the audit event written.

Every report signal is sent with the report as ``sender`` and one keyword argument:

``event``
    the step's entry in the report's public timeline (a ``ReportEvent``, already flushed, so
    it has its ``id``): its ``status`` names the step ("published", "replied", …), its
    ``note`` is the public note of the step (or None), its ``bureau`` the bureau concerned.

Receivers run inside the sender's transaction. They may write (an outbox message, say) and
flush, but never commit: what they write is committed with the step, or rolled back with it.
They connect in an ``init_app`` that ``create_app`` calls (``notifications.init_app``), never
as a side effect of an import.
"""

from typing import NamedTuple

from blinker import Namespace
from flask import render_template
from markupsafe import Markup

_signals = Namespace()

# The resident's step (planvoice.reports.services)

#: A resident filed a report (it waits for review; it is not public yet). Sent by
#: ``submit_report`` with the report as ``sender`` and no ``event``; not one of
#: ``REPORT_STEPS``. Receivers (``notifications.texts``: the tracking code by SMS) run in
#: the report's transaction.
new_report_submitted = _signals.signal("new-report-submitted")

# The community worker's steps (planvoice.moderation.services)

#: A report awaiting review became public. Sent by ``publish_report``.
report_published = _signals.signal("report-published")

#: A report awaiting review was refused; the event's note is the reason its author reads.
#: Sent by ``reject_report``.
report_rejected = _signals.signal("report-rejected")

#: A published or returned report was sent to a bureau (the event's ``bureau``, also
#: ``report.bureau``); its time limits count from now. Sent by ``route_report``.
report_routed = _signals.signal("report-routed")

#: A report was marked as the same problem as another (``report.duplicate_of``), whose
#: supporters it joined. Sent by ``mark_duplicate``.
report_marked_duplicate = _signals.signal("report-marked-duplicate")

# The bureau's steps (planvoice.bureaus.services)

#: The bureau signed for a report routed or reopened to it. Sent by ``accept_report``.
report_accepted = _signals.signal("report-accepted")

#: The bureau sent a report back to the community workers; the note is its public reason,
#: the event's ``bureau`` the bureau that returned it (``report.bureau`` is None now). Sent by
#: ``return_report``.
report_returned = _signals.signal("report-returned")

#: The bureau answered in public (the note); the report's status did not change. Sent by
#: ``reply_to_report``.
report_replied = _signals.signal("report-replied")

#: The bureau said work has started, and what is being done (the note). Sent by
#: ``start_work``.
report_work_started = _signals.signal("report-work-started")

#: The bureau resolved the report (the note says how; an "after" photo may be attached).
#: Sent by ``resolve_report``.
report_resolved = _signals.signal("report-resolved")

# The resident's answer (planvoice.reports.answers.answer_satisfaction)

#: The resident is not satisfied with the fix, or says the problem is not solved: the report
#: is back with the same bureau (``report.bureau``), counted in ``reopen_count``; the note is
#: the resident's comment, ``report.satisfaction`` and ``report.solved`` their answer.
report_reopened = _signals.signal("report-reopened")

#: The resident is satisfied (or basically) and the problem solved: the report is closed; the
#: note is their comment. The answer may have been recorded by a community worker after a
#: call-back (the event's ``answer.channel`` is "phone").
report_closed = _signals.signal("report-closed")

#: Every report signal above, for receivers that listen to each step of a report.
REPORT_STEPS = (
    report_published,
    report_rejected,
    report_routed,
    report_marked_duplicate,
    report_accepted,
    report_returned,
    report_replied,
    report_work_started,
    report_resolved,
    report_reopened,
    report_closed,
)


# Pages that several domains fill

#: The case page (``/reports/<code>``) is being drawn for a signed-in person: each domain whose
#: staff work on reports (``moderation``, ``bureaus``) may add the panel of what that person
#: may do now. Sent by ``reports.views.show_report`` with the report as ``sender`` and
#: ``user`` (the signed-in person). A receiver returns None (nothing for this person) or a
#: ``Panel``: the template to include and the names it reads. Receivers only read; they
#: never write or flush.
case_page_opened = _signals.signal("case-page-opened")


class Panel(NamedTuple):
    """What a ``case_page_opened``, ``home_page_opened`` or ``measure_page_opened`` receiver
    returns: the template drawn on the page (above the case's public part, above the plan, or
    below the measure's text) and the names it reads (besides ``report`` on a case page)."""

    template: str
    context: dict


#: The home page (``/``) is being drawn: each domain with something for residents to do there
#: (``reports``: report a problem, track one, what bureaus answered) may add a panel above the
#: plan. Sent by ``plans.views.show_home`` with the app as ``sender``. A receiver returns None
#: or a ``Panel``. Receivers only read. The page is cached for readers without a page of
#: their own (``core.caching``); for them ``actor_key()`` is None, so a panel that shows the
#: reader's own things (keyed by ``actor_key()``) never puts them in a shared copy.
home_page_opened = _signals.signal("home-page-opened")

#: A measure's page (``/measures/<id>``) is being drawn: each domain with something to show
#: about the measure (``progress``: its targets' bars) may add a panel below its text. Sent by
#: ``feedback.views.render_measure_page`` with the measure as ``sender`` (its section, plan
#: and targets loaded). A receiver returns None or a ``Panel``. Receivers only read. The page
#: is cached for readers without a page of their own, so a panel shows nothing personal; a
#: domain whose panel changes forgets the page (``core.caching.forget_page``).
measure_page_opened = _signals.signal("measure-page-opened")

# Accounts (planvoice.accounts.recovery)

#: Someone asked for a new password for an account that has this e-mail address. Sent by
#: ``request_password_reset`` with the user as ``sender`` and ``link`` (the signed, single-use
#: address of the reset page, valid for an hour) and ``language`` (the language the request
#: was made in). A receiver sends the link to the account's address and only there.
password_reset_requested = _signals.signal("password-reset-requested")


# What a person follows or hears (planvoice.following, planvoice.notifications)

#: The page of what a person follows (``/me/following``, or an e-mail-only follower's
#: ``/following/manage/<token>``) is being drawn: ``notifications`` adds the panel where the
#: person chooses their pace per kind. Sent with the app as ``sender`` and ``user`` (the
#: signed-in account, or None) and ``email`` (an e-mail-only follower's address, or None).
#: A receiver returns None or a ``Panel``. Receivers only read.
following_page_opened = _signals.signal("following-page-opened")

#: A person's own page (``/me``) is being drawn: ``notifications`` adds a notice when their
#: e-mail address or mobile number stopped being used (six failures in a row, or STOP).
#: Sent with the user as ``sender``. A receiver returns None or a ``Panel``; it only reads.
me_page_opened = _signals.signal("me-page-opened")

#: Someone without an account asked to follow a subject by e-mail: nothing is sent about it
#: until they confirm. Sent by ``following.services.follow`` with the ``Follow`` as
#: ``sender`` and ``link`` (the signed confirmation address) and ``language``. A receiver
#: sends the link to ``follow.email`` and only there.
follow_confirmation_requested = _signals.signal("follow-confirmation-requested")

# Answers on the plan (planvoice.bureaus.services, planvoice.progress.services)

#: A bureau answered in public on a measure. Sent by ``bureaus.services.answer_measure``
#: with the measure as ``sender`` and ``answer`` (the flushed ``MeasureAnswer``). Receivers
#: run in the answer's transaction (``notifications`` tells the measure's people).
measure_answered = _signals.signal("measure-answered")

#: New progress was recorded on a target (not a correction of an earlier entry). Sent by
#: ``progress.services.record_progress`` with the target as ``sender`` and ``entry`` (the
#: flushed ``ProgressEntry``). Receivers run in the entry's transaction.
progress_recorded = _signals.signal("progress-recorded")

# Accounts (planvoice.accounts)

#: An e-mail address must be proved to be the person's: on sign-up, or when they change it
#: in /me. Sent by ``accounts.services`` with the user as ``sender`` and ``address`` (the
#: address to confirm: the new one on a change), ``link`` (signed, single-use) and
#: ``language``. A receiver sends the link to ``address`` and only there.
email_confirmation_requested = _signals.signal("email-confirmation-requested")

#: A person deleted their account. Sent by ``accounts.services.delete_account`` with the user
#: as ``sender`` (its contact data already erased) and ``addresses`` (the e-mail address and
#: mobile number it had, lower case). Receivers forget what they keep of the person
#: (``following``: their follows, places included; ``notifications``: news waiting for their
#: digests), in the deletion's transaction.
account_deleted = _signals.signal("account-deleted")

#: A mobile-only resident asked for a six-digit sign-in code. Sent by
#: ``accounts.sign_in_codes.send_sign_in_code`` with the user as ``sender`` and ``code``
#: (plain, never stored) and ``language``. A receiver texts it to ``user.phone`` only.
sign_in_code_requested = _signals.signal("sign-in-code-requested")


def draw_panels(signal, sender, *, shared: dict | None = None, **kwargs) -> list[Markup]:
    """Send a page's ``signal`` (``case_page_opened``, ``home_page_opened``, …) and draw the
    ``Panel`` each receiver returns, in a fixed order (by template); ``shared`` names go to
    every panel's template, ``kwargs`` to the receivers."""
    answered = signal.send(sender, **kwargs)
    panels = sorted((panel for _receiver, panel in answered if panel), key=lambda p: p.template)
    # Rendered by autoescaping templates, so the HTML is safe to place in the page as it is.
    drawn = (render_template(p.template, **(shared or {}), **p.context) for p in panels)
    return [Markup(html) for html in drawn]  # noqa: S704
