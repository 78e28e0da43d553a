"""What the app tells people, and when: the receivers that queue a message (through
``notifications.outbox``) when a step of a report, an answer on a measure or new progress
calls for one."""

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import select

from planvoice.accounts.models import User, user_areas
from planvoice.core import signals
from planvoice.core.extensions import db
from planvoice.core.policy import Role
from planvoice.notifications import account_mail, follow_mail, texts
from planvoice.notifications.messages import password_reset_message, report_message
from planvoice.notifications.outbox import queue_message
from planvoice.reports.models import ReportSupport
from planvoice.reports.queries import stop_emails_token

# Steps of a report its resident hears about by e-mail, when they left an e-mail address.
RESIDENT_STEPS = (
    "published",
    "rejected",
    "routed",
    "accepted",
    "in_progress",
    "resolved",
    "replied",
    "duplicate",
)
# Steps residents who support a report hear about, when they left an e-mail address.
SUPPORTER_STEPS = (
    "routed",
    "accepted",
    "in_progress",
    "resolved",
    "replied",
    "reopened",
    "duplicate",
)


def connect_receivers() -> None:
    """Listen to every step of a report, and to requests for a new password
    (``notifications.init_app`` calls this)."""
    for signal in signals.REPORT_STEPS:
        signal.connect(tell_about_report)
    signals.password_reset_requested.connect(send_password_reset)
    account_mail.connect_receivers()
    follow_mail.connect_receivers()
    texts.connect_receivers()


def send_password_reset(user, *, link: str, language: str) -> None:
    """Queue the reset link to the account's own address, in the language it was asked in.
    No dedupe key: each request gets its own message (the newest link is the one to use)."""
    with force_locale(language):
        subject, body = password_reset_message(user, link)
    queue_message(recipient=user.email, subject=subject, body=body, language=language)


def tell_about_report(report, *, event) -> None:
    """Queue the e-mails a step of a report calls for (``event``: its timeline entry, see
    ``core.signals``): to the bureau it is routed to, to the resident who filed it, to its
    supporters, and to the community workers of its area when a bureau returns it. Each
    message is keyed by the timeline step, so a step never sends one twice."""
    # Keyed by the timeline entry, not the report: each step mails once, but every step does.
    status, key = event.status, f"report:{event.id}"
    bureau = report.bureau
    # The bureau hears when the report lands in its queue: routed, or reopened to it.
    if status in ("routed", "reopened") and bureau is not None and bureau.email:
        _queue_about(report, event, to=bureau.email, key=f"{key}:bureau", audience="bureau")
    # The contact may be a mobile number; only an e-mail address can be written to.
    if status in RESIDENT_STEPS and report.contact and "@" in report.contact:
        _queue_about(
            report,
            event,
            to=report.contact,
            language=report.language,
            key=f"{key}:resident",
            audience="resident",
        )
    if status in SUPPORTER_STEPS:
        for support in _supporters_to_tell(report):
            _queue_about(
                report,
                event,
                to=support.email,
                language=support.language,
                key=f"{key}:supporter:{support.id}",
                audience="supporter",
                stop_path=f"/stop-emails/{stop_emails_token(support)}",
            )
    # A returned report waits in the community workers' queue again: tell the ones serving
    # its area so it is routed anew without delay.
    if status == "returned":
        for moderator in _moderators_of(report):
            _queue_about(
                report,
                event,
                to=moderator.email,
                key=f"{key}:moderator:{moderator.id}",
                audience="moderator",
            )


def _queue_about(report, event, *, to, key, audience, language=None, stop_path=None):
    # Staff and residents who gave no language get Chinese, the district's working language.
    language = language or "zh_Hans"
    with force_locale(language):
        subject, body = report_message(report, event, audience=audience, stop_path=stop_path)
    base = current_app.config["PUBLIC_URL"].rstrip("/")
    unsubscribe = f"{base}/reports/{report.code}{stop_path}" if stop_path else None
    queue_message(
        recipient=to,
        subject=subject,
        body=body,
        language=language,
        dedupe_key=key,
        unsubscribe_url=unsubscribe,
    )


def _supporters_to_tell(report) -> list[ReportSupport]:
    """Supporters who left an e-mail, once per address, never the reporter's own address."""
    query = (
        select(ReportSupport)
        .where(ReportSupport.report_id == report.id, ReportSupport.email.is_not(None))
        .order_by(ReportSupport.id)
    )
    # The reporter hears through the resident's e-mails; never send them a supporter's copy.
    told = {report.contact.lower()} if report.contact else set()
    supporters = []
    for support in db.session.scalars(query):
        if support.email.lower() not in told:
            told.add(support.email.lower())
            supporters.append(support)
    return supporters


def _moderators_of(report) -> list:
    query = select(User).where(
        User.role == Role.MODERATOR, User.is_deleted.is_(False), User.email.is_not(None)
    )
    if report.area is not None:
        # A community worker may be assigned the street or town rather than each community.
        areas = [report.area_id] + ([report.area.parent_id] if report.area.parent_id else [])
        served = select(user_areas.c.user_id).where(user_areas.c.area_id.in_(areas))
        query = query.where(User.id.in_(served))
    return list(db.session.scalars(query))
