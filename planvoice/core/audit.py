"""The audit log: an append-only record of every moderation, routing and bureau action."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planvoice.core.db import UTCDateTime, utcnow
from planvoice.core.extensions import db
from planvoice.core.i18n import _l

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
    "plan.publish",
    "plan_correction.add_target",
    "plan_correction.measure",
    "plan_correction.not_target",
    "plan_correction.target",
    "plan_correction.withdraw",
    "plan_draft.create",
    "plan_draft.discard",
    "performance.correct_month",
    "progress.record",
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
    "target.tracking",
    "time_limits.update",
    "user.password_change",
    "user.password_reset",
    "user.role",
)
# What each action is, in the reader's language (the audit page shows these, never the codes).
ACTION_LABELS = {
    "account.delete": _l("account deleted"),
    "area.create": _l("area added"),
    "area.update": _l("area changed"),
    "bureau.create": _l("bureau added"),
    "bureau.update": _l("bureau changed"),
    "calendar.add": _l("day added to the calendar"),
    "calendar.delete": _l("day removed from the calendar"),
    "category.create": _l("category added"),
    "category.update": _l("category changed"),
    "comment.hide": _l("comment hidden"),
    "comment.keep": _l("flagged comment kept"),
    "comment.publish": _l("comment published"),
    "comment.reject": _l("comment rejected"),
    "comment.submit": _l("comment received"),
    "open311_key.issue": _l("Open311 key issued"),
    "open311_key.revoke": _l("Open311 key revoked"),
    "outbox.retry": _l("e-mail sent again"),
    "plan.publish": _l("plan published from the plan desk"),
    "plan_correction.add_target": _l("target added to a plan by a person"),
    "plan_correction.measure": _l("plan measure corrected"),
    "plan_correction.not_target": _l("number in a plan marked as not a target"),
    "plan_correction.target": _l("plan target corrected"),
    "plan_correction.withdraw": _l("correction of a plan withdrawn"),
    "plan_draft.create": _l("plan draft uploaded"),
    "plan_draft.discard": _l("plan draft discarded"),
    "progress.record": _l("progress on a target recorded"),
    "performance.correct_month": _l("month of the scorecard corrected"),
    "reason_template.save": _l("prepared reason saved"),
    "reply_template.create": _l("prepared reply added"),
    "reply_template.delete": _l("prepared reply deleted"),
    "reply_template.update": _l("prepared reply changed"),
    "report.accept": _l("accepted by the bureau"),
    "report.basically_satisfied": _l("resident basically satisfied"),
    "report.duplicate": _l("marked as a duplicate"),
    "report.in_progress": _l("work started"),
    "report.not_satisfied": _l("resident not satisfied"),
    "report.note": _l("internal note added"),
    "report.publish": _l("report published"),
    "report.redact_photo": _l("photo redacted"),
    "report.redact_text": _l("text redacted"),
    "report.reject": _l("report not accepted"),
    "report.remove_media_link": _l("linked photo removed"),
    "report.reply": _l("public reply"),
    "report.resolve": _l("resolved"),
    "report.return": _l("returned by the bureau"),
    "report.route": _l("sent to a bureau"),
    "report.satisfied": _l("resident satisfied"),
    "report.submit": _l("report received"),
    "routing_rule.create": _l("routing rule added"),
    "routing_rule.delete": _l("routing rule deleted"),
    "target.tracking": _l("target's owner, baseline or weight changed"),
    "time_limits.update": _l("time limits changed"),
    "user.password_change": _l("password changed by its owner"),
    "user.password_reset": _l("new password set through an e-mailed link"),
    "user.role": _l("role changed"),
}
SUBJECT_TYPES = (
    "areas",
    "bureaus",
    "calendar_days",
    "categories",
    "comments",
    "open311_api_keys",
    "outbox_messages",
    "performance_months",
    "plan_corrections",
    "plan_drafts",
    "plans",
    "progress_entries",
    "reason_templates",
    "reply_templates",
    "reports",
    "routing_rules",
    "targets",
    "time_limit_settings",
    "users",
)
SUBJECT_LABELS = {
    "areas": _l("area"),
    "bureaus": _l("bureau"),
    "calendar_days": _l("calendar day"),
    "categories": _l("category"),
    "comments": _l("comment"),
    "open311_api_keys": _l("Open311 key"),
    "outbox_messages": _l("e-mail"),
    "progress_entries": _l("progress entry"),
    "performance_months": _l("month of the scorecard"),
    "plan_corrections": _l("correction of a plan"),
    "plan_drafts": _l("plan draft"),
    "plans": _l("plan"),
    "reason_templates": _l("prepared reason"),
    "reply_templates": _l("prepared reply"),
    "reports": _l("report"),
    "routing_rules": _l("routing rule"),
    "targets": _l("plan target"),
    "time_limit_settings": _l("time limits"),
    "users": _l("user"),
}
# The fields events record before and after a change, named for the reader.
FIELD_LABELS = {
    "status": _l("status"),
    "bureau": _l("bureau"),
    "default_bureau": _l("default bureau"),
    "reason": _l("reason"),
    "duplicate_of": _l("duplicate of"),
    "description": _l("description"),
    "media_url": _l("linked photo"),
    "photo": _l("photo"),
    "rectangle": _l("blacked-out part"),
    "note": _l("note"),
    "role": _l("role"),
    "areas": _l("areas"),
    "flag_count": _l("flags"),
    "title": _l("short name"),
    "body": _l("text"),
    "name": _l("name"),
    "name_zh": _l("Chinese name"),
    "name_en": _l("English name"),
    "hint_zh": _l("Chinese hint"),
    "hint_en": _l("English hint"),
    "email": _l("e-mail"),
    "code": _l("code"),
    "position": _l("position"),
    "measure": _l("plan measure"),
    "is_active": _l("offered"),
    "kind": _l("kind"),
    "parent": _l("street or town"),
    "category": _l("category"),
    "area": _l("area"),
    "accept_days": _l("days to accept"),
    "reply_days": _l("days to answer"),
    "resolve_days": _l("days to resolve"),
    "day": _l("day"),
    "is_workday": _l("working day"),
    "attempts": _l("attempts"),
    "solved": _l("solved"),
    "channel": _l("answered through"),
    "bureau_id": _l("bureau"),
    "target": _l("target"),
    "value": _l("value"),
    "on": _l("date"),
    "evidence_url": _l("evidence link"),
    "supersedes": _l("corrects entry"),
    "owner": _l("owner bureau"),
    "baseline_value": _l("baseline value"),
    "baseline_date": _l("baseline date"),
    "weight": _l("weight"),
    "slug": _l("plan identifier"),
    "file_name": _l("file"),
    "added": _l("measures added"),
    "changed": _l("measures changed"),
    "removed": _l("measures retired"),
    "text": _l("text"),
    "group": _l("group"),
    "subject": _l("what is counted"),
    "unit": _l("unit"),
    "comparator": _l("comparison"),
    "low": _l("low end"),
    "high": _l("high end"),
    "deadline": _l("deadline"),
}


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
