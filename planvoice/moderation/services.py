"""What community workers do: with comments (publish, reject, hide, keep) and with reports
(publish, reject, route to a bureau, mark as a duplicate; redacting personal data is in
``redaction``). Every step is audited, and every step of a report is sent as its signal
(``core.signals``). The report moves through its own state machine,
``reports.services.transition``."""

from sqlalchemy import func, insert, select, update

from planvoice.bureaus.models import Bureau
from planvoice.core import signals
from planvoice.core.audit import record_event
from planvoice.core.db import insert_unless_taken, utcnow
from planvoice.core.extensions import db
from planvoice.core.i18n import _
from planvoice.feedback.models import Comment, CommentStatus
from planvoice.feedback.services import publish_comment, unpublish_comment
from planvoice.moderation.models import ReasonTemplate
from planvoice.moderation.queries import list_reason_templates
from planvoice.reports.models import (
    OPEN_STATUSES,
    ROUTABLE_STATUSES,
    Report,
    ReportStatus,
    ReportSupport,
)
from planvoice.reports.services import (
    ReportError,
    change_public_count,
    transition,
)


class ModerationError(ValueError):
    """The action does not fit the comment's current state (e.g. someone was quicker)."""


def _require(comment: Comment, *statuses: str) -> str:
    # A check on the status as loaded: it catches a decision made since the moderator opened
    # the queue, but it is not a conditional UPDATE like reports' ``transition``.
    if comment.status not in statuses:
        raise ModerationError(comment.status)
    return comment.status


def _decide(comment: Comment, action: str, *, moderator, status: str, reason: str):
    if not reason.strip():
        # A programming error, not a user one: the forms always require a reason, because the
        # author is told why their comment is not shown.
        raise ValueError("a rejected or hidden comment needs a reason for its author")
    # The old reason is kept in the audit log: a later decision overwrites it on the row.
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
    # A comment brought back from hidden must not keep showing its author the old reason.
    comment.moderation_reason = None
    record_event(
        "comment.publish", comment, actor=moderator, before=before, after={"status": "published"}
    )
    db.session.flush()


def reject(comment: Comment, *, moderator, reason: str) -> None:
    """Reject a pending comment; the reason is shown to its author."""
    _require(comment, CommentStatus.PENDING)
    _decide(
        comment, "comment.reject", moderator=moderator, status=CommentStatus.REJECTED, reason=reason
    )


def hide(comment: Comment, *, moderator, reason: str) -> None:
    """Hide a published comment; the reason is shown to its author."""
    _require(comment, CommentStatus.PUBLISHED)
    # Before the status changes: unpublish_comment only uncounts a comment still published.
    unpublish_comment(comment)
    _decide(
        comment, "comment.hide", moderator=moderator, status=CommentStatus.HIDDEN, reason=reason
    )


def keep(comment: Comment, *, moderator) -> None:
    """Keep a flagged comment published: its flags are reviewed and cleared."""
    _require(comment, CommentStatus.PUBLISHED)
    record_event(
        "comment.keep",
        comment,
        actor=moderator,
        # The flags reviewed are recorded, as clearing them drops the comment from the queue.
        before={"flag_count": comment.flag_count},
        after={"flag_count": 0},
    )
    comment.flag_count = 0
    db.session.flush()


def save_reason_template(template: ReasonTemplate | None, *, title: str, body: str, moderator):
    """Create or edit a reason template."""
    if template is None:
        # New templates go last, so the list moderators know keeps its order.
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


# Reports: review and routing


def _already_decided() -> str:
    return _("Someone has already decided on this report.")


def publish_report(report: Report, *, moderator, note: str | None = None) -> Report:
    """Make a submitted report public and flush (the moderation queue's first step)."""
    # Only from submitted (transition's default): a second moderator's click is refused.
    event = transition(report, ReportStatus.PUBLISHED, note=note, refusal=_already_decided())
    report.published_at = utcnow()
    change_public_count(report, +1)
    # In the same transaction as the status change, so the measure page's count stays exact.
    before, after = {"status": ReportStatus.SUBMITTED}, {"status": report.status}
    record_event("report.publish", report, actor=moderator, before=before, after=after)
    db.session.flush()
    signals.report_published.send(report, event=event)
    return report


def reject_report(report: Report, *, moderator, reason: str) -> Report:
    """Refuse a submitted report and flush; ``reason`` is shown to its author."""
    if not reason.strip():
        raise ReportError(_("Give a reason: choose a prepared one or write it."))
    report.moderation_reason = reason
    # The reason joins the timeline its author alone can see (and the e-mail telling them).
    event = transition(report, ReportStatus.REJECTED, note=reason, refusal=_already_decided())
    record_event(
        "report.reject",
        report,
        actor=moderator,
        before={"status": ReportStatus.SUBMITTED},
        after={"status": report.status, "reason": reason},
    )
    db.session.flush()
    signals.report_rejected.send(report, event=event)
    return report


def route_report(report: Report, bureau: Bureau, *, moderator, note: str | None = None) -> Report:
    """Send a published (or returned) report to ``bureau`` and flush; its time limits count
    from now. The note, if any, is public: it appears in the report's timeline."""
    before = {"status": report.status, "bureau": report.bureau.code if report.bureau else None}
    # The clocks start again for the bureau it goes to now.
    clocks = {
        "routed_at": utcnow(),
        "accepted_at": None,
        "first_reply_at": None,
        "resolved_at": None,
    }
    event = transition(
        report,
        ReportStatus.ROUTED,
        note=note,
        bureau=bureau,
        allowed=ROUTABLE_STATUSES,
        # The bureau and the clocks change in the conditional UPDATE, with the status.
        extra={"bureau_id": bureau.id, **clocks},
        refusal=_already_decided(),
    )
    record_event(
        "report.route",
        report,
        actor=moderator,
        before=before,
        after={"status": report.status, "bureau": bureau.code},
        note=note,
    )
    db.session.flush()
    signals.report_routed.send(report, event=event)
    return report


# Duplicates

# A report can be marked as a duplicate while a community worker holds it: awaiting review
# (the usual case: someone reported a known problem again), published but not yet routed, or
# returned by a bureau. Once routed, the bureau holds it and must return it first.
DUPLICABLE_STATUSES = (ReportStatus.SUBMITTED, ReportStatus.PUBLISHED, ReportStatus.RETURNED)


def find_original(report: Report, target: Report | None) -> Report:
    """The report ``report`` may be marked a duplicate of, given the one the moderator named:
    a duplicate named leads to its original. ReportError when there is none to mark it of."""
    seen = set()
    # Follow the chain to its head, so supporters gather on one report, not a duplicate.
    while target is not None and target.status == ReportStatus.DUPLICATE:
        if target.id in seen:  # a loop of duplicates should not exist; never spin on one
            target = None
            break
        seen.add(target.id)
        target = target.duplicate_of
    if target is None:
        raise ReportError(_("There is no report with this tracking code. Check it and try again."))
    if target.id == report.id:
        raise ReportError(_("A report cannot be a duplicate of itself."))
    # A closed report's supporters would hear nothing more: the original must still be open.
    if target.status not in OPEN_STATUSES:
        raise ReportError(
            _(
                "Report %(code)s is not open any more: only an open, public report can be the "
                "original.",
                code=target.code,
            )
        )
    return target


def mark_duplicate(report: Report, target: Report | None, *, moderator) -> Report:
    """Mark ``report`` as the same problem as ``target`` (or the original ``target`` is a
    duplicate of) and flush. Its supporters and its author now support the original (each
    once: who already supports it is skipped); the duplicate becomes public, pointing there.

    The status changes by one conditional UPDATE from the status read here, so of two
    moderators acting at once exactly one wins, and the public count of the measure stays
    exact (a submitted report becomes public; a published or returned one already was)."""
    original = find_original(report, target)
    before = report.status
    if before not in DUPLICABLE_STATUSES:
        raise ReportError(
            _(
                "Only a report awaiting review, published or returned by a bureau can be marked "
                "as a duplicate."
            )
        )
    note = _("The same problem as report %(code)s: follow it there.", code=original.code)
    extra = {"duplicate_of_id": original.id}
    if report.published_at is None:  # awaiting review until now: it becomes public here
        extra["published_at"] = utcnow()
    # allowed=(before,): if the status moved since it was read, the count below would be wrong,
    # so the change is refused rather than applied from another state.
    event = transition(report, ReportStatus.DUPLICATE, note=note, allowed=(before,), extra=extra)
    if before == ReportStatus.SUBMITTED:
        change_public_count(report, +1)
    # Supporters follow the problem: they hear of the original's progress from now on.
    _carry_supporters(report, original)
    record_event(
        "report.duplicate",
        report,
        actor=moderator,
        before={"status": before},
        after={"status": report.status, "duplicate_of": original.code},
    )
    db.session.flush()
    signals.report_marked_duplicate.send(report, event=event)
    return report


def _carry_supporters(duplicate: Report, original: Report) -> None:
    supports = ReportSupport.__table__
    taken = select(supports.c.supporter_key).where(supports.c.report_id == original.id)
    db.session.execute(
        update(supports)
        .where(
            supports.c.report_id == duplicate.id,
            # One support per person on the original; a double stays behind on the duplicate.
            supports.c.supporter_key.not_in(taken),
            # The original's author needs no support of their own report.
            supports.c.supporter_key != original.author_key,
        )
        .values(report_id=original.id)
    )
    author_supports = db.session.scalar(
        taken.where(supports.c.supporter_key == duplicate.author_key)
    )
    if duplicate.author_key != original.author_key and author_supports is None:
        # The author may have supported it themselves a moment ago: fine.
        insert_unless_taken(
            db.session,
            insert(supports).values(
                report_id=original.id,
                created_at=utcnow(),
                supporter_key=duplicate.author_key,
                user_id=duplicate.user_id,
            ),
        )
    table = Report.__table__
    for report in (duplicate, original):
        # Recount from the rows rather than adjust: supports moved in bulk and some stayed put.
        counted = select(func.count()).where(supports.c.report_id == report.id).scalar_subquery()
        db.session.execute(
            update(table).where(table.c.id == report.id).values(support_count=counted)
        )
        db.session.refresh(report, ["support_count"])
