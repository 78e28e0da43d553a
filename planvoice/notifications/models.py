"""The outbox: every e-mail and text message the app sends, written in the transaction of
the change it tells of; the addresses it writes to; and the digests that gather what a person
chose to hear daily or weekly."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from planvoice.core.db import UTCDateTime, utcnow
from planvoice.core.extensions import db


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


class Channel(StrEnum):
    EMAIL = "email"
    SMS = "sms"


class Pace(StrEnum):
    """How often a person hears about one kind of news (``users.pace_*``, ``addresses.pace_*``)."""

    IMMEDIATELY = "immediately"
    DAILY = "daily"
    WEEKLY = "weekly"
    OFF = "off"


PACES_SQL = "('immediately', 'daily', 'weekly', 'off')"


class OutboxMessage(db.Model):
    """One plain-text e-mail or text message (``channel``), waiting for the worker (pending),
    delivered (sent), or given up on after too many attempts (failed)."""

    __tablename__ = "outbox_messages"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'sent', 'failed')", name="status"),
        CheckConstraint("channel IN ('email', 'sms')", name="channel"),
        CheckConstraint("attempts >= 0", name="attempts"),
        # The worker's query: pending messages whose time has come, oldest first.
        Index("ix_outbox_messages_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # "email": ``recipient`` is an address; "sms": a bare mobile number (subject unused).
    channel: Mapped[str] = mapped_column(String(5), default=Channel.EMAIL, server_default="email")
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


class StopReason(StrEnum):
    FAILURES = "failures"  # six attempts in a row failed
    STOP = "stop"  # the person replied STOP to a text message, or asked on the STOP page


class Address(db.Model):
    """An e-mail address or mobile number the app writes to, with what it knows of it:
    consecutive failed attempts (reset by a delivery), and whether it stopped being used.
    For a person without an account it also keeps their language and paces; an account's
    own paces are on ``users``."""

    __tablename__ = "addresses"
    __table_args__ = (
        CheckConstraint("channel IN ('email', 'sms')", name="channel"),
        CheckConstraint("failures >= 0", name="failures"),
        CheckConstraint("stop_reason IN ('failures', 'stop')", name="stop_reason"),
        CheckConstraint(f"pace_own IN {PACES_SQL}", name="pace_own"),
        CheckConstraint(f"pace_following IN {PACES_SQL}", name="pace_following"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Lower-case e-mail address, or a bare 11-digit mobile number.
    address: Mapped[str] = mapped_column(String(254), unique=True)
    channel: Mapped[str] = mapped_column(String(5))
    language: Mapped[str | None] = mapped_column(String(10))
    pace_own: Mapped[str] = mapped_column(String(12), default=Pace.IMMEDIATELY)
    pace_following: Mapped[str] = mapped_column(String(12), default=Pace.DAILY)
    failures: Mapped[int] = mapped_column(default=0)
    stopped_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    stop_reason: Mapped[str | None] = mapped_column(String(12))


class DigestItem(db.Model):
    """One piece of news waiting for a person's daily or weekly digest. Unique per address
    and event, so a person hears of one event once however many ways it concerns them."""

    __tablename__ = "digest_items"
    __table_args__ = (
        UniqueConstraint("address", "event_key"),
        CheckConstraint("pace IN ('daily', 'weekly')", name="pace"),
        CheckConstraint("kind IN ('own', 'following')", name="kind"),
        # The builder's query: an address's items not yet in a digest.
        Index("ix_digest_items_waiting", "digest_id", "address"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    address: Mapped[str] = mapped_column(String(254))
    language: Mapped[str] = mapped_column(String(10))
    # "own": my own reports; "following": what I follow or took part in.
    kind: Mapped[str] = mapped_column(String(10))
    pace: Mapped[str] = mapped_column(String(8))
    # Names the event ("report-event:42", "measure-answer:7"), like an outbox dedupe key.
    event_key: Mapped[str] = mapped_column(String(120))
    line: Mapped[str] = mapped_column(String(300))
    link: Mapped[str] = mapped_column(String(500))
    digest_id: Mapped[int | None] = mapped_column(ForeignKey("digests.id", ondelete="SET NULL"))


class Digest(db.Model):
    """One person's digest for one period ("daily:2026-12-04", "weekly:2026-W49"): the row
    that makes sure a period is sent once."""

    __tablename__ = "digests"
    __table_args__ = (UniqueConstraint("address", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    address: Mapped[str] = mapped_column(String(254))
    period: Mapped[str] = mapped_column(String(20))
    item_count: Mapped[int] = mapped_column(default=0)
    message_id: Mapped[int | None] = mapped_column(
        ForeignKey("outbox_messages.id", ondelete="SET NULL")
    )
