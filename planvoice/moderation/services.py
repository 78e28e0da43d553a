"""What community workers do with comments: publish, reject, hide, keep; every step audited."""

from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import joinedload, selectinload

from planvoice.core.audit import AuditEvent, record_event
from planvoice.core.db import utcnow
from planvoice.core.extensions import db
from planvoice.core.policy import ARBITRATION_AFTER_RETURNS
from planvoice.feedback.models import Comment, CommentStatus
from planvoice.feedback.services import publish_comment
from planvoice.moderation.models import ReasonTemplate
from planvoice.reports.models import Area, Report, ReportStatus


class ModerationError(ValueError):
    """The action does not fit the comment's current state (e.g. someone was quicker)."""


@dataclass(frozen=True)
class QueueCounts:
    pending: int
    flagged: int


def queue_counts() -> QueueCounts:
    """What waits for review, in one query (it runs on every page a moderator opens)."""
    pending = Comment.status == CommentStatus.PENDING
    flagged = (Comment.status == CommentStatus.PUBLISHED) & (Comment.flag_count > 0)
    row = db.session.execute(
        select(func.count().filter(pending), func.count().filter(flagged)).where(pending | flagged)
    ).one()
    return QueueCounts(pending=row[0], flagged=row[1])


def list_queue(*, limit: int = 50) -> list[Comment]:
    """Flagged published comments first (most flags first), then pending ones, oldest first."""
    flagged = (Comment.status == CommentStatus.PUBLISHED) & (Comment.flag_count > 0)
    return list(
        db.session.scalars(
            select(Comment)
            .where((Comment.status == CommentStatus.PENDING) | flagged)
            .order_by(flagged.desc(), Comment.flag_count.desc(), Comment.created_at, Comment.id)
            .options(joinedload(Comment.measure), joinedload(Comment.user))
            .limit(limit)
        )
    )


def list_report_queue(
    area_ids: list[int] | None, *, statuses=(ReportStatus.SUBMITTED,), limit: int = 50
) -> list[Report]:
    """Reports in ``statuses`` (by default: awaiting review), oldest first: all of them
    (``area_ids`` None), or those in the given areas (a street with its communities) and those
    with a point but no area."""
    query = (
        select(Report)
        .where(Report.status.in_(statuses))
        .order_by(Report.created_at, Report.id)
        .options(joinedload(Report.category), joinedload(Report.area), selectinload(Report.photos))
        .limit(limit)
    )
    if area_ids is not None:
        # Reports bounced between bureaus wait for an administrator instead.
        query = query.where(Report.return_count < ARBITRATION_AFTER_RETURNS)
        communities = select(Area.id).where(Area.parent_id.in_(area_ids))
        query = query.where(
            Report.area_id.is_(None)
            | Report.area_id.in_(area_ids)
            | Report.area_id.in_(communities)
        )
    return list(db.session.scalars(query))


def list_reason_templates() -> list[ReasonTemplate]:
    return list(
        db.session.scalars(
            select(ReasonTemplate).order_by(ReasonTemplate.position, ReasonTemplate.id)
        )
    )


def _require(comment: Comment, *statuses: str) -> str:
    if comment.status not in statuses:
        raise ModerationError(comment.status)
    return comment.status


def _decide(comment: Comment, action: str, *, moderator, status: str, reason: str):
    if not reason.strip():
        raise ValueError("a rejected or hidden comment needs a reason for its author")
    before = {"status": comment.status, "reason": comment.moderation_reason}
    comment.status = status
    comment.moderation_reason = reason
    comment.moderated_at = utcnow()
    comment.moderated_by = moderator
    record_event(
        action,
        comment,
        actor=moderator,
        before=before,
        after={"status": status, "reason": reason},
    )
    db.session.flush()


def publish(comment: Comment, *, moderator) -> None:
    """Publish a pending comment (or bring back a hidden one)."""
    before = {"status": _require(comment, CommentStatus.PENDING, CommentStatus.HIDDEN)}
    publish_comment(comment)
    comment.moderated_at = utcnow()
    comment.moderated_by = moderator
    comment.moderation_reason = None
    record_event(
        "comment.publish", comment, actor=moderator, before=before, after={"status": "published"}
    )
    db.session.flush()


def reject(comment: Comment, *, moderator, reason: str) -> None:
    """Reject a pending comment; the reason is shown to its author."""
    _require(comment, CommentStatus.PENDING)
    _decide(comment, "comment.reject", moderator=moderator, status=CommentStatus.REJECTED,
            reason=reason)  # fmt: skip


def hide(comment: Comment, *, moderator, reason: str) -> None:
    """Hide a published comment; the reason is shown to its author."""
    _require(comment, CommentStatus.PUBLISHED)
    if comment.parent_id is not None:
        db.session.execute(
            update(Comment)
            .where(Comment.id == comment.parent_id)
            .values(reply_count=Comment.reply_count - 1)
        )
    _decide(comment, "comment.hide", moderator=moderator, status=CommentStatus.HIDDEN,
            reason=reason)  # fmt: skip


def keep(comment: Comment, *, moderator) -> None:
    """Keep a flagged comment published: its flags are reviewed and cleared."""
    _require(comment, CommentStatus.PUBLISHED)
    record_event(
        "comment.keep",
        comment,
        actor=moderator,
        before={"flag_count": comment.flag_count},
        after={"flag_count": 0},
    )
    comment.flag_count = 0
    db.session.flush()


def save_reason_template(template: ReasonTemplate | None, *, title: str, body: str, moderator):
    """Create or edit a reason template."""
    if template is None:
        template = ReasonTemplate(position=len(list_reason_templates()))
        db.session.add(template)
    before = {"title": template.title, "body": template.body} if template.id else None
    template.title, template.body = title, body
    db.session.flush()
    record_event(
        "reason_template.save",
        template,
        actor=moderator,
        before=before,
        after={"title": title, "body": body},
    )
    db.session.flush()
    return template


AUDIT_PAGE_SIZE = 100


def list_audit_events(*, before: int | None = None) -> list[AuditEvent]:
    """The newest audit events, a page at a time (keyset: events older than ``before``)."""
    query = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(AUDIT_PAGE_SIZE)
    if before is not None:
        query = query.where(AuditEvent.id < before)
    return list(db.session.scalars(query.options(joinedload(AuditEvent.actor))))
