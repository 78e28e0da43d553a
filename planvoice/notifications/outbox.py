"""The outbox: messages are queued as rows and sent later by a worker, with retries.

The rule: a service never talks to the mail server. It calls ``queue_message`` in the same
transaction as the change the message tells of, so the message exists if and only if the change
was committed; a rolled-back change sends nothing, and a slow or broken mail server never slows
or breaks a request. ``send_due_messages`` (run by ``flask outbox run``) delivers the rows.
"""

import logging
import smtplib
import ssl
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from typing import NamedTuple

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import select

from planvoice.core.db import insert_or_existing, utcnow
from planvoice.core.extensions import db
from planvoice.notifications.messages import html_of, sender
from planvoice.notifications.models import OutboxMessage, OutboxStatus

log = logging.getLogger(__name__)

SMTP_TIMEOUT = 10
MAX_BACKOFF = timedelta(hours=1)


class SendSummary(NamedTuple):
    sent: int
    failed: int
    retried: int


def queue_message(
    *,
    recipient: str,
    subject: str,
    body: str,
    language: str,
    dedupe_key: str | None = None,
    unsubscribe_url: str | None = None,
) -> OutboxMessage:
    """Add an e-mail to the outbox and flush, in the caller's transaction (never commits).
    ``unsubscribe_url``: where one click stops messages like it (sent as List-Unsubscribe).

    With a ``dedupe_key`` (e.g. ``"report-routed:42"``) the same event queues one message
    only: a second call returns the message queued first, also under a concurrent race.
    """
    # A line break in a header would let a crafted address inject extra mail headers.
    if any(char in recipient + subject for char in "\r\n"):
        raise ValueError("recipient and subject must be single lines")
    if dedupe_key is not None and (existing := _by_dedupe_key(dedupe_key)) is not None:
        return existing
    message = OutboxMessage(
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
    """Send up to ``batch`` pending messages whose time has come, oldest first, over SMTP.

    The worker owns its transactions: it commits after each message, so a crash in the middle
    of a batch never sends again what was already sent (call it with no unfinished work in the
    session). Each message is claimed with ``SELECT … FOR UPDATE SKIP LOCKED`` and its row lock
    held until that commit, so on PostgreSQL several workers never send one message twice
    (SQLite has no row locks: run a single worker there). A failed attempt is retried after
    ``backoff``; after ``max_attempts`` the message is ``failed``. If the server cannot be
    reached at all, the round stops early and the other messages wait for the next one.
    """
    now = now or utcnow()
    sent = failed = retried = 0
    with _Mailer(current_app.config) as mailer:
        for _ in range(batch):
            # One message per transaction: its row lock is held only while that message is sent.
            message = _claim_next_due(now)
            if message is None:
                break
            try:
                mailer.send(_as_email(message))
            except (smtplib.SMTPException, OSError) as error:
                if _record_failure(message, error, now=now, max_attempts=max_attempts):
                    failed += 1
                else:
                    retried += 1
            else:
                message.status = OutboxStatus.SENT
                message.sent_at = now
                message.attempts += 1
                sent += 1
            # Commit each message at once: a crash later in the batch must not resend it.
            db.session.commit()
            # A server that cannot be reached fails every message alike; stop rather than spend
            # all the batch's attempts on one outage.
            if mailer.unreachable:
                break
    return SendSummary(sent=sent, failed=failed, retried=retried)


def _claim_next_due(now: datetime) -> OutboxMessage | None:
    query = (
        select(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.next_attempt_at <= now)
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


def retry_message(message: OutboxMessage) -> None:
    """Put a failed message back in the queue, to be sent by the next round as if new
    (an administrator's "Send again"); flushes, never commits."""
    message.status = OutboxStatus.PENDING
    # Attempts restart from zero, or the next failure would give up on it again at once.
    message.attempts = 0
    message.next_attempt_at = utcnow()
    db.session.flush()
