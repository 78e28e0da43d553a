"""The outbox: messages are queued as rows and sent later by a worker, with retries.

The rule: a service never talks to the mail server. It calls ``queue_message`` in the same
transaction as the change the message tells of, so the message exists if and only if the change
was committed; a rolled-back change sends nothing, and a slow or broken mail server never slows
or breaks a request. ``send_due_messages`` (run by ``flask outbox run``) delivers the rows.
"""

import logging
import smtplib
import ssl
from collections import Counter
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from typing import NamedTuple

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import func, select

from planvoice.core.db import insert_or_existing, utcnow
from planvoice.core.extensions import db
from planvoice.notifications.addresses import (
    channel_of,
    is_usable,
    normalise,
    record_delivery,
    record_failure,
)
from planvoice.notifications.messages import html_of, sender
from planvoice.notifications.models import Channel, OutboxMessage, OutboxStatus
from planvoice.notifications.sms import (
    EXPIRING_KINDS,
    SmsError,
    SmsRefusedError,
    SmsUnreachableError,
    district_day,
    next_morning,
    parse_text_body,
    sender_from,
)

log = logging.getLogger(__name__)

SMTP_TIMEOUT = 10
MAX_BACKOFF = timedelta(hours=1)


class SendSummary(NamedTuple):
    sent: int = 0
    failed: int = 0
    retried: int = 0
    # Texts over their number's daily cap, waiting for the next morning.
    postponed: int = 0


def queue_message(
    *,
    recipient: str,
    subject: str,
    body: str,
    language: str,
    dedupe_key: str | None = None,
    unsubscribe_url: str | None = None,
    channel: str = Channel.EMAIL,
) -> OutboxMessage | None:
    """Add an e-mail (or, with ``channel="sms"``, a text message) to the outbox and flush, in
    the caller's transaction (never commits). ``unsubscribe_url``: where one click stops
    messages like it (sent as List-Unsubscribe). A text's ``recipient`` is a mobile number,
    its ``subject`` a short label for admins and its ``body`` made by ``sms.text_body``.

    Returns None, queuing nothing, when the address stopped being used (``addresses``):
    callers must accept that. With a ``dedupe_key`` (e.g. ``"report-routed:42"``) the same
    event queues one message only: a second call returns the message queued first, also
    under a concurrent race.
    """
    # A line break in a header would let a crafted address inject extra mail headers.
    if any(char in recipient + subject for char in "\r\n"):
        raise ValueError("recipient and subject must be single lines")
    if channel not in (Channel.EMAIL, Channel.SMS):
        raise ValueError(f"unknown channel {channel!r}")
    if channel == Channel.SMS:
        if channel_of(recipient) != Channel.SMS:
            raise ValueError("a text message goes to a mobile number")
        recipient = normalise(recipient)
    if not is_usable(recipient):
        return None
    if dedupe_key is not None and (existing := _by_dedupe_key(dedupe_key)) is not None:
        return existing
    message = OutboxMessage(
        channel=channel,
        recipient=recipient,
        subject=subject,
        body=body,
        language=language,
        status=OutboxStatus.PENDING,
        attempts=0,
        next_attempt_at=utcnow(),
        dedupe_key=dedupe_key,
        unsubscribe_url=unsubscribe_url,
    )
    if dedupe_key is None:  # nothing can collide, so no SAVEPOINT is needed
        db.session.add(message)
        db.session.flush()
        return message
    # A concurrent transaction may queue the same event first: then its message is returned.
    return insert_or_existing(db.session, message, lambda: _by_dedupe_key(dedupe_key))


def _by_dedupe_key(key: str) -> OutboxMessage | None:
    return db.session.scalar(select(OutboxMessage).where(OutboxMessage.dedupe_key == key))


def backoff(attempts: int) -> timedelta:
    """How long to wait after the ``attempts``-th failure: 1, 2, 4, 8 … minutes, at most 1 hour."""
    # The inner min caps the exponent so a long-failing message cannot overflow timedelta.
    return min(timedelta(minutes=2 ** min(attempts - 1, 10)), MAX_BACKOFF)


def send_due_messages(
    *, now: datetime | None = None, batch: int = 20, max_attempts: int = 6
) -> SendSummary:
    """Send up to ``batch`` pending messages whose time has come, oldest first: e-mails over
    SMTP, text messages through the SMS sender (``notifications.sms``).

    The worker owns its transactions: it commits after each message, so a crash in the middle
    of a batch never sends again what was already sent (call it with no unfinished work in the
    session). Each message is claimed with ``SELECT … FOR UPDATE SKIP LOCKED`` and its row lock
    held until that commit, so on PostgreSQL several workers never send one message twice
    (SQLite has no row locks: run a single worker there). A failed attempt is retried after
    ``backoff``; after ``max_attempts`` the message is ``failed``. If the server cannot be
    reached at all, the round sends no more on its channel; those messages wait for the next one.

    Each address keeps count of the attempts it refused in a row (``addresses``): at
    ``MAX_ADDRESS_FAILURES`` it stops being used, and what waits for it is not sent. A text
    over ``SMS_PER_NUMBER_PER_DAY`` for its number waits for the next morning (postponed).
    """
    now = now or utcnow()
    counts = Counter()
    config = current_app.config
    with _Mailer(config) as mailer:
        texter = _Texter(config)
        channels = {Channel.EMAIL, Channel.SMS}
        for _ in range(batch):
            # One message per transaction: its row lock is held only while that message is sent.
            message = _claim_next_due(now, channels)
            if message is None:
                break
            counts[_attempt(message, mailer, texter, now=now, max_attempts=max_attempts)] += 1
            # Commit each message at once: a crash later in the batch must not resend it.
            db.session.commit()
            # A server that cannot be reached fails every message alike; stop sending on its
            # channel rather than spend all the batch's attempts on one outage (an SMTP
            # outage does not hold up the texts, nor a gateway's the e-mails).
            if mailer.unreachable:
                channels.discard(Channel.EMAIL)
            if texter.unreachable:
                channels.discard(Channel.SMS)
            if not channels:
                break
    return SendSummary(**counts)


def _attempt(message: OutboxMessage, mailer, texter, *, now, max_attempts) -> str:
    """Try to deliver one claimed message; return which ``SendSummary`` count it adds to."""
    if not is_usable(message.recipient):
        # The address stopped after this was queued (STOP, or too many failures).
        message.status = OutboxStatus.FAILED
        message.last_error = "The address stopped being used."
        return "failed"
    if message.channel == Channel.SMS and _over_daily_cap(message, now):
        return _postpone(message, now)
    try:
        if message.channel == Channel.SMS:
            texter.send(message)
        else:
            mailer.send(_as_email(message))
    except (smtplib.SMTPException, OSError, SmsError) as error:
        # Only a refusal of this address counts against it, never an outage of our servers.
        if isinstance(error, _REFUSED_BY_ADDRESS):
            record_failure(message.recipient)
        given_up = _record_failure(message, error, now=now, max_attempts=max_attempts)
        return "failed" if given_up else "retried"
    message.status = OutboxStatus.SENT
    message.sent_at = now
    message.attempts += 1
    record_delivery(message.recipient)
    return "sent"


# The recipient's server refused the address or the message; the gateway refused the number.
_REFUSED_BY_ADDRESS = (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError, SmsRefusedError)


def _over_daily_cap(message: OutboxMessage, now: datetime) -> bool:
    """Has its number had ``SMS_PER_NUMBER_PER_DAY`` texts already in the district's day?"""
    start, end = district_day(now, current_app.config["BABEL_DEFAULT_TIMEZONE"])
    sent_today = db.session.scalar(
        select(func.count())
        .select_from(OutboxMessage)
        .where(
            OutboxMessage.channel == Channel.SMS,
            OutboxMessage.recipient == message.recipient,
            OutboxMessage.status == OutboxStatus.SENT,
            OutboxMessage.sent_at >= start,
            OutboxMessage.sent_at < end,
        )
    )
    return sent_today >= current_app.config["SMS_PER_NUMBER_PER_DAY"]


def _postpone(message: OutboxMessage, now: datetime) -> str:
    if parse_text_body(message.body).kind in EXPIRING_KINDS:
        # A sign-in code sent tomorrow would no longer work: give up on it now.
        message.status = OutboxStatus.FAILED
        message.last_error = "Today's texts to this number are used up; the code expired."
        return "failed"
    # Not an attempt: the text waits, whole, for the next morning.
    message.next_attempt_at = next_morning(now, current_app.config["BABEL_DEFAULT_TIMEZONE"])
    message.last_error = "Today's texts to this number are used up; it waits for tomorrow."
    log.info("Outbox message %s waits for tomorrow (daily cap)", message.id)
    return "postponed"


def _claim_next_due(now: datetime, channels) -> OutboxMessage | None:
    query = (
        select(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.next_attempt_at <= now)
        .where(OutboxMessage.channel.in_(sorted(channels)))
        # Oldest first, so a burst of new mail cannot starve a message that is being retried.
        .order_by(OutboxMessage.created_at, OutboxMessage.id)
        .limit(1)
        # SKIP LOCKED: another worker's claimed message is passed over instead of waited for, so
        # workers share the queue and never send one message twice.
        .with_for_update(skip_locked=True)
    )
    return db.session.scalar(query)


def _record_failure(message: OutboxMessage, error: Exception, *, now, max_attempts) -> bool:
    """Count the failed attempt; return True when the message is given up on."""
    message.attempts += 1
    # Kept on the row so an administrator can see why before pressing "Send again".
    message.last_error = f"{type(error).__name__}: {error}"
    if message.attempts >= max_attempts:
        message.status = OutboxStatus.FAILED
        log.error("Outbox message %s failed for good: %s", message.id, message.last_error)
        return True
    message.next_attempt_at = now + backoff(message.attempts)
    log.warning("Outbox message %s will be retried: %s", message.id, message.last_error)
    return False


def _as_email(message: OutboxMessage) -> EmailMessage:
    email = EmailMessage()
    # The sender's name in the recipient's language ("规划民声", "PlanVoice"), encoded by the
    # e-mail package as RFC 2047 where it is not ASCII.
    with force_locale(message.language):
        email["From"] = sender(message.language)
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Date"] = format_datetime(utcnow())
    # The same id on every attempt, so a receiver can drop a copy if a retry repeats a send.
    domain = email["From"].addresses[0].domain or "planvoice.local"
    stamp = int(message.created_at.timestamp())
    email["Message-ID"] = f"<outbox-{message.id}.{stamp}@{domain}>"
    if message.unsubscribe_url:  # one click in the mail program stops them (RFC 8058)
        email["List-Unsubscribe"] = f"<{message.unsubscribe_url}>"
        email["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    email.set_content(message.body, charset="utf-8")
    # The HTML is made from the stored text at send time, so the outbox keeps one body.
    html = html_of(message.body, subject=message.subject, language=message.language)
    email.add_alternative(html, subtype="html", charset="utf-8")
    return email


class _Mailer:
    """One SMTP connection for a round, opened at the first message and reopened after an
    error (the server may have dropped it); ``unreachable`` says the last connect failed."""

    def __init__(self, config):
        self.config = config
        self.smtp: smtplib.SMTP | None = None
        self.unreachable = False

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self._close()

    def send(self, email: EmailMessage) -> None:
        if self.smtp is None:
            # Set before connecting and cleared after, so a connect that raises leaves it True.
            self.unreachable = True
            self.smtp = self._connect()
            self.unreachable = False
        try:
            self.smtp.send_message(email)
        except (smtplib.SMTPException, OSError):
            self._close()
            raise

    def _connect(self) -> smtplib.SMTP:
        config = self.config
        smtp = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=SMTP_TIMEOUT)
        try:
            if config["MAIL_USE_TLS"]:
                smtp.starttls(context=ssl.create_default_context())
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        # Close the socket on any failure (also a timeout or an interrupt), or it would leak.
        except BaseException:
            smtp.close()
            raise
        return smtp

    def _close(self) -> None:
        if self.smtp is None:
            return
        try:
            # QUIT politely; a dropped connection cannot, so just close the socket then.
            self.smtp.quit()
        except (smtplib.SMTPException, OSError):
            self.smtp.close()
        self.smtp = None


class _Texter:
    """The SMS sender for a round, made at the first text (so a round of e-mails only never
    needs the gateway's settings); ``unreachable`` says the last text found no gateway."""

    def __init__(self, config):
        self.config = config
        self.sender = None
        self.unreachable = False

    def send(self, message: OutboxMessage) -> None:
        self.unreachable = False
        try:
            if self.sender is None:
                self.sender = sender_from(self.config)
            self.sender.send(message.recipient, parse_text_body(message.body))
        except RuntimeError as error:  # a setting is wrong: kept on the row for the admins
            log.error("SMS sender not set up: %s", error)
            raise SmsError(str(error)) from error
        except SmsUnreachableError:
            self.unreachable = True
            raise


def retry_message(message: OutboxMessage) -> None:
    """Put a failed message back in the queue, to be sent by the next round as if new
    (an administrator's "Send again"); flushes, never commits."""
    message.status = OutboxStatus.PENDING
    # Attempts restart from zero, or the next failure would give up on it again at once.
    message.attempts = 0
    message.next_attempt_at = utcnow()
    db.session.flush()
