"""The outbox: every e-mail the app sends, written in the transaction of the change it tells of."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from planvoice.core.db import UTCDateTime, utcnow
from planvoice.core.extensions import db


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


class OutboxMessage(db.Model):
    """One plain-text e-mail, waiting for the worker (pending), delivered (sent), or given up
    on after too many attempts (failed)."""

    __tablename__ = "outbox_messages"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'sent', 'failed')", name="status"),
        CheckConstraint("attempts >= 0", name="attempts"),
        # The worker's query: pending messages whose time has come, oldest first.
        Index("ix_outbox_messages_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    # The language the message was written in ("zh_Hans", "en"), for support staff.
    language: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(10), default=OutboxStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    # Names the event the message tells of, so that one event never queues two messages.
    dedupe_key: Mapped[str | None] = mapped_column(String(120), unique=True)
    # Where one click stops messages like this one (RFC 8058: ``List-Unsubscribe`` and
    # ``List-Unsubscribe-Post``); None for a message nobody subscribed to (a password reset).
    unsubscribe_url: Mapped[str | None] = mapped_column(String(500))
