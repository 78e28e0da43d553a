"""The audit log: an append-only record of every moderation, routing and bureau action."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planvoice.core.db import UTCDateTime, utcnow
from planvoice.core.extensions import db

# Every action the app writes, and every kind of subject (a table name). The audit page offers
# them as its filters' choices (reading the distinct values of millions of rows took most of a
# second); ``record_event`` refuses any other, so the lists cannot fall behind the code.
ACTIONS = (
    "account.delete",
    "area.create",
    "area.update",
    "bureau.create",
    "bureau.update",
    "calendar.add",
    "calendar.delete",
    "category.create",
    "category.update",
    "comment.hide",
    "comment.keep",
    "comment.publish",
    "comment.reject",
    "comment.submit",
    "open311_key.issue",
    "open311_key.revoke",
    "outbox.retry",
    "reason_template.save",
    "reply_template.create",
    "reply_template.delete",
    "reply_template.update",
    "report.accept",
    "report.basically_satisfied",
    "report.duplicate",
    "report.in_progress",
    "report.not_satisfied",
    "report.note",
    "report.publish",
    "report.redact_photo",
    "report.redact_text",
    "report.reject",
    "report.remove_media_link",
    "report.reply",
    "report.resolve",
    "report.return",
    "report.route",
    "report.satisfied",
    "report.submit",
    "routing_rule.create",
    "routing_rule.delete",
    "time_limits.update",
    "user.role",
)
SUBJECT_TYPES = (
    "areas",
    "bureaus",
    "calendar_days",
    "categories",
    "comments",
    "open311_api_keys",
    "outbox_messages",
    "reason_templates",
    "reply_templates",
    "reports",
    "routing_rules",
    "time_limit_settings",
    "users",
)


class AuditEvent(db.Model):
    __tablename__ = "audit_events"
    # Each filter of the audit page walks its own index newest first (the page is keyset on id).
    __table_args__ = (
        Index("ix_audit_events_subject", "subject_id", "subject_type", "id"),
        Index("ix_audit_events_action", "action", "id"),
        Index("ix_audit_events_type", "subject_type", "id"),
        Index("ix_audit_events_actor", "actor_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(40))
    subject_type: Mapped[str] = mapped_column(String(20))
    subject_id: Mapped[int]
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(Text)

    actor = relationship("User")


def record_event(
    action: str, subject, *, actor=None, before=None, after=None, note=None
) -> AuditEvent:
    """Append an audit event about ``subject`` (any model with an id); the caller flushes."""
    subject_type = type(subject).__tablename__
    if action not in ACTIONS or subject_type not in SUBJECT_TYPES:
        raise ValueError(f"add {action!r} on {subject_type!r} to ACTIONS and SUBJECT_TYPES")
    event = AuditEvent(
        actor_id=actor.id if actor is not None else None,
        action=action,
        subject_type=subject_type,
        subject_id=subject.id,
        before=before,
        after=after,
        note=note,
    )
    db.session.add(event)
    return event
